package io.latchkey.cloud.identity;

import io.micronaut.http.HttpRequest;

/**
 * Store reads a route starts as soon as the caller's access token is verified (its signature, issuer and lifetime),
 * side by side with the read of the caller's account and security record ({@link SessionVersionClaimsValidator}),
 * instead of after it: one store round trip less on the route's path where the store is shared. What is read ahead
 * decides nothing until the request has passed every check, the session gate included: a refused request's reads
 * are dropped unused. Implementations start their reads on another thread and return at once.
 */
public interface ReadAhead {
    /** Starts this route's reads for {@code request}, if it is the route's and {@code token} may be its caller. */
    void start(HttpRequest<?> request, AccessToken token);

    /** The caller's identity as the route sees it once the request is authenticated ({@link Caller#of}). */
    static Caller callerOf(AccessToken token) {
        java.util.List<String> roles = new java.util.ArrayList<>(token.roles());
        if (token.tenant() != null) {
            roles.retainAll(Roles.TENANT_ROLES);
        }
        return new Caller(token.subject(), java.util.Set.copyOf(roles));
    }
}
