package io.latchkey.cloud.fleet;

import io.latchkey.cloud.event.Event;
import io.latchkey.cloud.event.EventRaised;
import io.latchkey.cloud.live.LiveDeviceEvent;
import io.latchkey.cloud.live.LiveFeed;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Puts every new stored event ({@link EventRaised}: from a car, or raised by the backend) on the live feed, as it
 * is stored (the events feature publishes synchronously, once per new event).
 */
@Singleton
public class LiveEvents {
    private final LiveFeed live;

    public LiveEvents(LiveFeed live) {
        this.live = live;
    }

    @EventListener
    void on(EventRaised raised) {
        Event e = raised.event();
        live.publishEvent(raised.tenant(), new LiveDeviceEvent(e.carId(), e.id(), e.type(), e.source(), e.at(), e.details(),
                e.alert()));
    }
}
