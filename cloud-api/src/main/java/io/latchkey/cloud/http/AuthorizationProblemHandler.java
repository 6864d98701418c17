package io.latchkey.cloud.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * 401 (no valid token for this issuer) or 403 (valid token, role not admitted), as problems. The 401
 * never says why a token was refused: that would help whoever forges one.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationProblemHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            return problem(HttpStatus.FORBIDDEN, "your roles do not allow " + request.getMethod() + " " + request.getPath());
        }
        return problem(HttpStatus.UNAUTHORIZED, "a valid bearer access token issued for this tenant is required")
                .header("WWW-Authenticate", "Bearer");
    }

    private static MutableHttpResponse<Problem> problem(HttpStatus status, String detail) {
        return HttpResponse.<Problem>status(status).body(Problem.of(status, detail)).contentType(Problem.MEDIA_TYPE);
    }
}
