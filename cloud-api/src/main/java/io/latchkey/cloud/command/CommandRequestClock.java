package io.latchkey.cloud.command;

import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Notes when a command request reached this replica, before authentication, so that a slow command's log line
 * ({@link CommandPhases}) also tells the time spent establishing the caller (the access token, the caller's account and
 * security record) from the time the command itself took.
 */
@ServerFilter("/t/*/cars/*/commands")
@Order(Integer.MIN_VALUE)
public class CommandRequestClock {
    static final String RECEIVED = "latchkey.command.received";

    @RequestFilter
    public void received(HttpRequest<?> request) {
        request.setAttribute(RECEIVED, System.nanoTime());
    }

    /** The filter's {@link System#nanoTime} of the request, or now where it did not run. */
    static long receivedAt(HttpRequest<?> request) {
        return request.getAttribute(RECEIVED, Long.class).orElseGet(System::nanoTime);
    }
}
