package io.latchkey.cloud.access;

import io.latchkey.cloud.http.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 401 for a bad export token, with one detail for every reason so that probing learns nothing. */
@Singleton
public class InvalidExportTokenHandler implements ExceptionHandler<InvalidExportTokenException, HttpResponse<Problem>> {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidExportTokenHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, InvalidExportTokenException exception) {
        LOG.info("export link refused on tenant path {}: {}", tenantOf(request.getPath()), exception.getMessage());
        return HttpResponse.<Problem>status(HttpStatus.UNAUTHORIZED)
                .body(Problem.of(HttpStatus.UNAUTHORIZED, "the export link is invalid or has expired"))
                .contentType(Problem.MEDIA_TYPE);
    }

    /** Only the tenant segment: the rest of the path holds the token. */
    private static String tenantOf(String path) {
        String[] parts = path.split("/");
        return parts.length > 2 ? parts[2] : "?";
    }
}
