package io.latchkey.cloud.identity;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Token endpoints answer errors in RFC 6749 form, with {@code Cache-Control: no-store}. */
@Singleton
public class OAuthExceptionHandler implements ExceptionHandler<OAuthException, HttpResponse<OAuthError>> {
    @Override
    public HttpResponse<OAuthError> handle(HttpRequest request, OAuthException exception) {
        HttpStatus status = "invalid_client".equals(exception.error()) ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST;
        return HttpResponse.<OAuthError>status(status)
                .body(new OAuthError(exception.error(), exception.getMessage()))
                .header("Cache-Control", "no-store");
    }
}
