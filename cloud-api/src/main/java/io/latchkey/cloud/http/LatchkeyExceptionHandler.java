package io.latchkey.cloud.http;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.GatewayTimeoutException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.LatchkeyCloudException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.UnavailableException;
import io.latchkey.cloud.platform.CrashReports;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.VersionConflictException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the module's exceptions to statuses and problem bodies. */
@Singleton
public class LatchkeyExceptionHandler implements ExceptionHandler<LatchkeyCloudException, HttpResponse<Problem>> {
    private static final Logger LOG = LoggerFactory.getLogger(LatchkeyExceptionHandler.class);

    private final CrashReports crashes;

    public LatchkeyExceptionHandler(CrashReports crashes) {
        this.crashes = crashes;
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, LatchkeyCloudException exception) {
        HttpStatus status = statusOf(exception);
        String detail = exception.getMessage();
        java.time.Duration retryAfter = exception instanceof UnavailableException u ? u.retryAfter() : null;
        if (retryAfter != null) {
            // an expected answer (a car asleep until a known time), not a failure of this backend
            return HttpResponse.<Problem>status(status).body(Problem.of(status, detail)).contentType(Problem.MEDIA_TYPE)
                    .header(io.micronaut.http.HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        if (status.getCode() >= 500 && status != HttpStatus.GATEWAY_TIMEOUT) {
            LOG.error("{} {} failed", request.getMethod(), request.getPath(), exception);
            if (status == HttpStatus.SERVICE_UNAVAILABLE) {
                detail = exception.getMessage();
            } else {
                String fingerprint = crashes.record(request.getMethodName(),
                        UnexpectedExceptionHandler.routeTemplate(request), exception);
                detail = "internal error; crash report " + fingerprint + " was recorded for the operator";
            }
        }
        return HttpResponse.<Problem>status(status).body(Problem.of(status, detail)).contentType(Problem.MEDIA_TYPE);
    }

    static HttpStatus statusOf(LatchkeyCloudException e) {
        if (e instanceof NotFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (e instanceof ConflictException || e instanceof DocumentExistsException || e instanceof VersionConflictException) {
            return HttpStatus.CONFLICT;
        }
        if (e instanceof InvalidRequestException) {
            return HttpStatus.BAD_REQUEST;
        }
        if (e instanceof ForbiddenException) {
            return HttpStatus.FORBIDDEN;
        }
        if (e instanceof GatewayTimeoutException) {
            return HttpStatus.GATEWAY_TIMEOUT;
        }
        if (e instanceof UnavailableException) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }
}
