package io.latchkey.cloud.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Every error Micronaut itself produces (unknown route, malformed JSON, wrong media type, an unexpected
 * exception) becomes an RFC 9457 problem. A 5xx never carries the exception's message: it may name
 * internals. The 4xx details come from the framework's own messages (which field, which route).
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        String detail;
        if (status.getCode() >= 500) {
            detail = "internal error; the operator can find it in the server log";
        } else if (context.hasErrors()) {
            detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        } else {
            detail = status.getReason();
        }
        return response.body(Problem.of(status, detail)).contentType(Problem.MEDIA_TYPE);
    }
}
