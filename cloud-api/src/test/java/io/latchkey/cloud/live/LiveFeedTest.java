package io.latchkey.cloud.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.car.CarState;
import io.latchkey.protocol.LockState;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveFeedTest {
    private static final Instant T = Instant.parse("2026-12-05T20:00:00Z");
    private static final int TAG = 7;
    private static final int STEP = LiveFeed.ID_STEP;
    private final LiveFeed feed = new LiveFeed(Clock.fixed(T, ZoneOffset.UTC), config(100), TAG);

    private static LiveConfig config(int replay) {
        return new LiveConfig(replay, 10, Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    private static CarState state(LockState lock, double lat) {
        return new CarState(true, lock, false, false, lat, 13.4, 0.0, 1.0, 1L, T, null, null, null);
    }

    @Test
    void ids_increase_perTenant_fromTheClockAtTheFirstEvent_andCarryTheReplicasTag() {
        LiveEvent a = feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.LOCKED, 52), null, null);
        LiveEvent b = feed.publishState("acme", "car-2", LiveState.TELEMETRY, state(LockState.LOCKED, 52), null, null);
        LiveEvent other = feed.publishState("beta", "car-1", LiveState.TELEMETRY, state(LockState.LOCKED, 52), null, null);
        assertThat(a.id()).isEqualTo((T.toEpochMilli() * 1000 + 1) * STEP + TAG);
        assertThat(b.id()).isEqualTo(a.id() + STEP);
        assertThat(other.id()).isEqualTo(a.id());
        assertThat(feed.latestId("acme")).isEqualTo(b.id());
    }

    @Test
    void telemetryThatMovesOnlyThePosition_isAPosition_aSwitchIsAState() {
        assertThat(feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.LOCKED, 52), null, null).type())
                .as("first sight").isEqualTo(LiveEvent.STATE);
        assertThat(feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.LOCKED, 53), null, null).type())
                .isEqualTo(LiveEvent.POSITION);
        assertThat(feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.UNLOCKED, 53), null, null).type())
                .isEqualTo(LiveEvent.STATE);
        assertThat(feed.publishState("acme", "car-1", LiveState.DEVICE, state(LockState.UNLOCKED, 53), null, null).type())
                .as("from the device state").isEqualTo(LiveEvent.STATE);
    }

    @Test
    void readings_carryOver_untilARecordBringsNewOnes() {
        feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.LOCKED, 52),
                LiveState.Readings.of(Map.of(LiveState.Readings.FUEL, 40.0, LiveState.Readings.VOLTAGE, 12.1)), T);
        feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.LOCKED, 52),
                LiveState.Readings.of(Map.of(LiveState.Readings.VOLTAGE, 12.5)), T);
        feed.publishChange("acme", "car-1", LiveState.COMMAND, s -> s.withLock(LockState.UNLOCKED, false, T),
                () -> { throw new AssertionError("the feed knows the car"); });
        LiveState latest = feed.latest("acme").get("car-1");
        assertThat(latest.readings()).isEqualTo(new LiveState.Readings(40.0, null, 12.5));
        assertThat(latest.state().lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(latest.state().lat()).isEqualTo(52.0);
    }

    @Test
    void aChangeForACarNotSeenYet_isAppliedToTheStateReadElsewhere() {
        feed.publishChange("acme", "car-9", LiveState.COMMAND, s -> s.withLock(LockState.UNLOCKED, true, T),
                () -> state(LockState.LOCKED, 48.1));
        CarState s = feed.latest("acme").get("car-9").state();
        assertThat(s.lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(s.doorsOpen()).isTrue();
        assertThat(s.lat()).isEqualTo(48.1);
    }

    @Test
    void aSeed_neverReplacesAStateTheFeedSaw() {
        feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.UNLOCKED, 52), null, null);
        feed.seed("acme", "car-1", new LiveState("car-1", "store", state(LockState.LOCKED, 1), null, T));
        feed.seed("acme", "car-2", new LiveState("car-2", "store", state(LockState.LOCKED, 1), null, T));
        assertThat(feed.latest("acme").get("car-1").state().lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(feed.latest("acme").get("car-2").state().lockState()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void subscribe_replaysExactlyWhatCameAfterTheId_thenLive_andResetsWhenTheIdIsGone() {
        List<LiveEvent> published = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            published.add(feed.publishEvent("acme", new LiveDeviceEvent("car-1", "ev-1", "TAMPER", "DEVICE", T, Map.of(), true)));
        }
        List<LiveEvent> live = new ArrayList<>();
        LiveFeed.Subscription s = feed.subscribe("acme", Long.toString(published.get(120).id()), live::add);
        assertThat(s.reset()).isFalse();
        assertThat(s.replay()).containsExactlyElementsOf(published.subList(121, 150));
        LiveEvent next = feed.publishEvent("acme", new LiveDeviceEvent("car-2", "ev-1", "TAMPER", "DEVICE", T, Map.of(), true));
        assertThat(live).containsExactly(next);
        s.cancel().run();
        feed.publishEvent("acme", new LiveDeviceEvent("car-2", "ev-1", "TAMPER", "DEVICE", T, Map.of(), true));
        assertThat(live).containsExactly(next);

        long oldestKept = feed.latestId("acme") - 99 * STEP; // the ring keeps the last 100 (152 published)
        assertThat(feed.subscribe("acme", Long.toString(oldestKept - STEP), e -> { }).reset()).as("just before the ring").isFalse();
        assertThat(feed.subscribe("acme", Long.toString(oldestKept - 2 * STEP), e -> { }).reset()).as("evicted").isTrue();
        assertThat(feed.subscribe("acme", Long.toString(feed.latestId("acme") + STEP), e -> { }).reset()).as("from the future").isTrue();
        assertThat(feed.subscribe("acme", Long.toString(feed.latestId("acme") - STEP + 1), e -> { }).reset())
                .as("an id of another replica, in this one's range").isTrue();
        assertThat(feed.subscribe("acme", "x", e -> { }).reset()).isTrue();
        LiveFeed.Subscription fresh = feed.subscribe("acme", null, e -> { });
        assertThat(fresh.reset()).isFalse();
        assertThat(fresh.replay()).isEmpty();
        assertThat(feed.subscribe("acme", Long.toString(feed.latestId("acme")), e -> { }).replay()).isEmpty();
    }

    @Test
    void aStreamListener_getsTheReplayThenLive_orAResetFirst() {
        LiveEvent first = feed.publishEvent("acme", new LiveDeviceEvent("car-1", "ev-1", "TAMPER", "DEVICE", T, Map.of(), true));
        LiveEvent second = feed.publishEvent("acme", new LiveDeviceEvent("car-1", "ev-1", "TAMPER", "DEVICE", T, Map.of(), true));
        List<Object> got = new ArrayList<>();
        LiveFeed.Listener listener = new LiveFeed.Listener() {
            @Override
            public void accept(LiveEvent e) {
                got.add(e);
            }

            @Override
            public void reset(long latestId) {
                got.add("reset " + latestId);
            }
        };
        feed.subscribe("acme", Long.toString(first.id()), listener);
        LiveEvent third = feed.publishEvent("acme", new LiveDeviceEvent("car-1", "ev-1", "TAMPER", "DEVICE", T, Map.of(), true));
        assertThat(got).containsExactly(second, third);
        got.clear();
        feed.subscribe("acme", "1", listener);
        assertThat(got).as("a reset, nothing replayed").containsExactly("reset " + third.id());
    }

    @Test
    void boundsOutOfRange_stopTheStart() {
        assertThatThrownBy(() -> config(99)).isInstanceOf(ConfigurationException.class).hasMessageContaining("replay-events");
        assertThatThrownBy(() -> new LiveConfig(100, 0, Duration.ofSeconds(15), Duration.ZERO, Duration.ofSeconds(2)))
                .hasMessageContaining("connection-queue");
        assertThatThrownBy(() -> new LiveConfig(100, 10, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(2)))
                .hasMessageContaining("keep-alive");
        assertThatThrownBy(() -> new LiveConfig(100, 10, Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(2)))
                .hasMessageContaining("access-recheck");
        assertThatThrownBy(() -> new LiveConfig(100, 10, Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(10)))
                .hasMessageContaining("snapshot-refresh");
    }

    @Test
    void localEvents_goToTheRelay_remoteOnesArePublished_keptAsLatest_andNotRelayedAgain() {
        List<LiveEvent> relayed = new ArrayList<>();
        feed.relayTo(relayed::add);
        LiveEvent local = feed.publishState("acme", "car-1", LiveState.TELEMETRY, state(LockState.LOCKED, 52), null, null);
        LiveEvent alert = feed.publishEvent("acme", new LiveDeviceEvent("car-1", "ev-1", "TAMPER", "DEVICE", T, Map.of("x", "y"), true));
        assertThat(relayed).containsExactly(local, alert);

        LiveFeed other = new LiveFeed(Clock.fixed(T, ZoneOffset.UTC), config(100), TAG + 1);
        List<LiveEvent> seen = new ArrayList<>();
        List<LiveEvent> relayedThere = new ArrayList<>();
        other.relayTo(relayedThere::add);
        other.subscribe("acme", null, seen::add);
        for (LiveEvent e : relayed) {
            other.publishRemote(e.tenant(), e.carId(), e.type(), e.json());
        }
        assertThat(seen).extracting(LiveEvent::type, LiveEvent::json)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(local.type(), local.json()),
                        org.assertj.core.groups.Tuple.tuple(alert.type(), alert.json()));
        assertThat(seen.get(1).data()).isEqualTo(alert.data());
        assertThat(other.latest("acme").get("car-1")).isEqualTo(local.data());
        assertThat(relayedThere).as("a remote event is not relayed again").isEmpty();
        assertThat(seen).extracting(LiveEvent::id).allMatch(id -> Math.floorMod(id, STEP) == TAG + 1);

        assertThatThrownBy(() -> other.publishRemote("acme", "car-2", local.type(), local.json()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("car-1");
        assertThatThrownBy(() -> other.publishRemote("acme", "car-1", "bogus", local.json())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other.publishRemote("acme", "car-1", LiveEvent.STATE, "{nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(seen).hasSize(2);
    }

    /** Seen in ReplicaKillIT: a change relayed from the other replica arrived after a newer one of this replica. */
    @Test
    void aTelemetryStateOlderThanOnePublished_localOrRelayed_publishesNothing_otherSourcesStill() {
        LiveFeed other = new LiveFeed(Clock.fixed(T, ZoneOffset.UTC), config(100), TAG + 1);
        List<LiveEvent> relayed = new ArrayList<>();
        other.relayTo(relayed::add);
        LiveEvent older = other.publishState("acme", "car-1", LiveState.TELEMETRY, seq(32), null, null);
        List<LiveEvent> seen = new ArrayList<>();
        feed.subscribe("acme", null, seen::add);
        LiveEvent newer = feed.publishState("acme", "car-1", LiveState.TELEMETRY, seq(34), null, null);
        assertThat(feed.publishRemote("acme", "car-1", older.type(), older.json())).as("relayed, older").isNull();
        assertThat(feed.publishState("acme", "car-1", LiveState.TELEMETRY, seq(33), null, null)).as("local, older").isNull();
        assertThat(feed.latest("acme").get("car-1").state().lastSeq()).isEqualTo(34L);
        LiveEvent sameRecord = feed.publishState("acme", "car-1", LiveState.TELEMETRY, seq(34), null, null);
        LiveEvent lock = feed.publishState("acme", "car-1", LiveState.COMMAND, seq(33), null, null);
        LiveEvent next = feed.publishRemote("acme", "car-1", LiveEvent.STATE,
                other.publishState("acme", "car-1", LiveState.TELEMETRY, seq(35), null, null).json());
        assertThat(seen).containsExactly(newer, sameRecord, lock, next);
        assertThat(next.json()).contains("\"lastSeq\":35");
    }

    private static CarState seq(long lastSeq) {
        return new CarState(true, LockState.LOCKED, false, false, 52.0, 13.4, 0.0, 1.0, lastSeq, T, null, null, null);
    }
}
