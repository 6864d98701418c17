package io.latchkey.cloud.it;

import io.latchkey.cloud.event.EventRaised;
import io.latchkey.cloud.telemetry.TripEnded;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the backend announced to in-process listeners (new events, finished trips), as a live view would get it. */
@Singleton
public class RecordedNotices {
    public final List<EventRaised> events = new CopyOnWriteArrayList<>();
    public final List<TripEnded> trips = new CopyOnWriteArrayList<>();

    @EventListener
    void on(EventRaised raised) {
        events.add(raised);
    }

    @EventListener
    void on(TripEnded ended) {
        trips.add(ended);
    }
}
