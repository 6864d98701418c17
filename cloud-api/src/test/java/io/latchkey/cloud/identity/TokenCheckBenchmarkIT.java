package io.latchkey.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.pki.Bc;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * The cost of the bearer-token check. Opt-in ({@code -Dtoken.benchmark=true}); printed, not asserted beyond "it
 * authenticated". Three ways, run interleaved in one JVM so that they share the machine's load:
 * <ul>
 * <li>{@code filter}: what the security filter pays: every {@link AuthenticationFetcher} of the application in order
 * until one answers (micronaut-security-jwt's {@code TokenAuthenticationFetcher}, reader, Nimbus validator,
 * {@link TenantSignatures}, the claims validators incl. the session-version read, {@link AccessTokenAuthentication});</li>
 * <li>{@code validator}: the library's {@link JsonWebTokenValidator} alone (parse, signature, claims validators);</li>
 * <li>{@code hand-made}: the pipeline this replaced (issue 17), copied here from the former
 * {@code TokenService.verify} and {@code BearerAuthenticationFetcher}: parse, ES256 and kid checks, a new Bouncy Castle
 * {@code ECDSAVerifier}, the claims, {@code SessionPolicy.admits}, the {@code Authentication}.</li>
 * </ul>
 */
class TokenCheckBenchmarkIT {
    private static final int WARM_UP = 20_000;
    private static final int RUNS = 5;
    private static final int CHECKS_PER_RUN = 5_000;

    @TempDir
    static Path dataDir;

    @Test
    @SuppressWarnings("unchecked")
    void tokenCheck_isMeasured() {
        assumeTrue(Boolean.getBoolean("token.benchmark"), "opt-in: -Dtoken.benchmark=true");
        try (CloudApp app = CloudApp.start(dataDir, Map.of())) {
            app.user("acme", app.tenantWithAdmin("acme"), "olga@acme.test", "operator");
            String token = app.token("acme", "olga@acme.test");
            HttpRequest<?> request = HttpRequest.GET("/t/acme/cars").bearerAuth(token);
            List<AuthenticationFetcher<HttpRequest<?>>> fetchers = new ArrayList<>();
            app.context().getBeansOfType(AuthenticationFetcher.class).forEach(f -> fetchers.add(f));
            fetchers.sort(io.micronaut.core.order.OrderUtil.COMPARATOR);
            JsonWebTokenValidator<JWT, HttpRequest<?>> validator = app.context().getBean(JsonWebTokenValidator.class);
            HandMade handMade = new HandMade(app.context().getBean(SigningKeys.class),
                    app.context().getBean(TokenIssuers.class), app.context().getBean(SessionPolicy.class),
                    app.context().getBean(Clock.class));

            Map<String, Supplier<Object>> ways = new LinkedHashMap<>();
            ways.put("filter", () -> Flux.fromIterable(fetchers)
                    .concatMap(f -> f.fetchAuthentication(HttpRequest.GET("/t/acme/cars").bearerAuth(token))).next().block());
            ways.put("validator", () -> validator.validate(token, request).orElse(null));
            ways.put("hand-made", () -> handMade.check("acme", token));
            for (Supplier<Object> way : ways.values()) {
                for (int i = 0; i < WARM_UP; i++) {
                    way.get();
                }
            }
            Map<String, double[]> medians = new LinkedHashMap<>();
            ways.keySet().forEach(name -> medians.put(name, new double[RUNS]));
            for (int run = 0; run < RUNS; run++) {
                for (Map.Entry<String, Supplier<Object>> way : ways.entrySet()) {
                    long[] nanos = new long[CHECKS_PER_RUN];
                    for (int i = 0; i < CHECKS_PER_RUN; i++) {
                        long start = System.nanoTime();
                        Object result = way.getValue().get();
                        nanos[i] = System.nanoTime() - start;
                        if (result == null) {
                            throw new AssertionError(way.getKey() + ": a valid token did not authenticate");
                        }
                    }
                    Arrays.sort(nanos);
                    medians.get(way.getKey())[run] = nanos[CHECKS_PER_RUN / 2] / 1000.0;
                }
            }
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            double handMadeMedian = median(medians.get("hand-made"));
            for (Map.Entry<String, double[]> entry : medians.entrySet()) {
                System.out.printf("token check %-9s p50 per run %s µs, median %.1f µs, %.2fx hand-made (load %.1f)%n",
                        entry.getKey(), Arrays.toString(Arrays.stream(entry.getValue()).map(m -> Math.round(m * 10) / 10.0).toArray()),
                        median(entry.getValue()), median(entry.getValue()) / handMadeMedian, load);
            }
            assertThat(((Authentication) ways.get("filter").get()).getName()).isNotBlank();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The former hand-made check, as it was (for comparison only). */
    private record HandMade(SigningKeys keys, TokenIssuers issuers, SessionPolicy sessions, Clock clock) {
        Authentication check(String tenant, String token) {
            try {
                JWKSet keySet = keys.find(tenant).orElseThrow();
                SignedJWT jwt = SignedJWT.parse(token);
                JWSHeader header = jwt.getHeader();
                if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
                    return null;
                }
                JWK jwk = header.getKeyID() == null ? null : keySet.getKeyByKeyId(header.getKeyID());
                if (!(jwk instanceof ECKey ecKey)) {
                    return null;
                }
                ECDSAVerifier verifier = new ECDSAVerifier(ecKey.toECPublicKey());
                verifier.getJCAContext().setProvider(Bc.PROVIDER);
                if (!jwt.verify(verifier)) {
                    return null;
                }
                JWTClaimsSet claims = jwt.getJWTClaimsSet();
                Instant now = clock.instant();
                if (!issuers.issuerOf(tenant).equals(claims.getIssuer()) || !claims.getAudience().contains(TokenService.AUDIENCE)
                        || !now.isBefore(claims.getExpirationTime().toInstant())
                        || claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant())
                        || !tenant.equals(claims.getStringClaim("tenant"))) {
                    return null;
                }
                List<String> roles = claims.getStringListClaim("roles");
                AccessToken verified = new AccessToken(claims.getSubject(), tenant, List.copyOf(roles), claims.getJWTID(),
                        claims.getIntegerClaim("sv"), claims.getExpirationTime().toInstant());
                if (!sessions.admits(verified)) {
                    return null;
                }
                List<String> kept = new ArrayList<>(roles);
                kept.retainAll(Roles.TENANT_ROLES);
                return Authentication.build(verified.subject(), kept,
                        Map.of(AccessTokenAuthentication.TENANT_ATTRIBUTE, tenant, AccessTokenAuthentication.EXPIRES_ATTRIBUTE,
                                verified.expiresAt()));
            } catch (Exception e) {
                return null;
            }
        }
    }
}
