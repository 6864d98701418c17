package io.latchkey.cloud.command;

import io.latchkey.cloud.booking.CarAccess;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.protocol.Ids;
import io.latchkey.cloud.identity.AccessToken;
import io.latchkey.cloud.identity.ReadAhead;
import io.latchkey.cloud.store.Stores;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a command's checks ({@link CheckReads}) while the caller's session is being checked, on a shared store: the
 * caller's account and security record and the car with its bookings and state then cost one store round trip
 * together instead of two one after the other (docs/scaling.md, "The unlock on a shared store"). Only for
 * {@code POST /t/{tenant}/cars/{carId}/commands} with a verified token of that tenant; the reads are handed to the
 * command service through the request, which uses them once the request passed every check.
 */
@Singleton
public class CommandReadAhead implements ReadAhead {
    static final String ATTRIBUTE = "latchkey.command.check-reads";
    private static final Pattern ROUTE = Pattern.compile("^/t/([^/]+)/cars/([^/]+)/commands/?$");

    private final CarRegistry cars;
    private final CarAccess access;
    private final ExecutorService io;
    private final boolean shared;

    public CommandReadAhead(CarRegistry cars, CarAccess access, @Named(TaskExecutors.IO) ExecutorService io,
                            Stores stores) {
        this.cars = cars;
        this.access = access;
        this.io = io;
        this.shared = !stores.writtenByThisProcessOnly();
    }

    @Override
    public void start(HttpRequest<?> request, AccessToken token) {
        if (!shared || request.getMethod() != HttpMethod.POST || token.tenant() == null) {
            return;
        }
        Matcher route = ROUTE.matcher(request.getPath());
        if (!route.matches() || !route.group(1).equals(token.tenant()) || !Ids.isValid(route.group(2))) {
            return;
        }
        request.setAttribute(ATTRIBUTE, CheckReads.start(token.tenant(), route.group(2), ReadAhead.callerOf(token), cars,
                access, io));
    }

    /** The reads started for this request, if any. */
    static Optional<CheckReads> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, CheckReads.class);
    }
}
