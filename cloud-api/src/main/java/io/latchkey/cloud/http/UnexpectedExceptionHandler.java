package io.latchkey.cloud.http;

import io.latchkey.cloud.platform.CrashReports;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort for exceptions that nothing more specific handles (a bug): a 500 problem body that
 * quotes a crash-report fingerprint instead of a stack trace, and a permanent crash report in the
 * platform store. Micronaut's own handlers (conversion, JSON, routing, security) are for narrower types
 * and still win.
 */
@Singleton
public class UnexpectedExceptionHandler implements ExceptionHandler<Exception, HttpResponse<Problem>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionHandler.class);

    private final CrashReports crashes;

    public UnexpectedExceptionHandler(CrashReports crashes) {
        this.crashes = crashes;
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, Exception exception) {
        String fingerprint = crashes.record(request.getMethodName(), routeTemplate(request), exception);
        LOG.error("{} {} failed unexpectedly (crash report {})", request.getMethodName(), routeTemplate(request), fingerprint,
                exception);
        HttpStatus status = HttpStatus.INTERNAL_SERVER_ERROR;
        return HttpResponse.<Problem>status(status)
                .body(Problem.of(status, "internal error; crash report " + fingerprint + " was recorded for the operator"))
                .contentType(Problem.MEDIA_TYPE);
    }

    /** The matched route's template ({@code /t/{tenant}/password-resets/{token}}), never the concrete path. */
    static String routeTemplate(HttpRequest<?> request) {
        return RouteAttributes.getRouteMatch(request)
                .filter(UriRouteMatch.class::isInstance)
                .map(m -> ((UriRouteMatch<?, ?>) m).getRouteInfo().getUriMatchTemplate().toString())
                .orElse("(no route)");
    }
}
