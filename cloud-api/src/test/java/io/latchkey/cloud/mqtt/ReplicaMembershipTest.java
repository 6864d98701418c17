package io.latchkey.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaMembershipTest {
    private Instant now = Instant.parse("2026-12-06T15:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void alone_thisReplicaIsLive_andOwnsEveryCar() {
        ReplicaMembership m = new ReplicaMembership("latchkey-cloud-a", clock);
        assertThat(m.live()).containsExactly("latchkey-cloud-a");
        for (int i = 0; i < 100; i++) {
            assertThat(m.ownerOf("acme", "dev-" + i)).isEqualTo("latchkey-cloud-a");
        }
    }

    @Test
    void aReplicaHeard_isLiveForThreeSeconds_thenExpires_untilHeardAgain() {
        ReplicaMembership m = new ReplicaMembership("latchkey-cloud-a", clock);
        m.heard("latchkey-cloud-b");
        m.heard("latchkey-cloud-a"); // its own heartbeat changes nothing
        assertThat(m.live()).containsExactly("latchkey-cloud-a", "latchkey-cloud-b");
        now = now.plus(ReplicaMembership.EXPIRES_AFTER);
        assertThat(m.live()).as("heard exactly 3 s ago").containsExactly("latchkey-cloud-a", "latchkey-cloud-b");
        now = now.plusMillis(1);
        assertThat(m.live()).as("3 s and 1 ms ago: gone").containsExactly("latchkey-cloud-a");
        m.heard("latchkey-cloud-b");
        assertThat(m.live()).containsExactly("latchkey-cloud-a", "latchkey-cloud-b");
        now = now.plusSeconds(2);
        m.heard("latchkey-cloud-c");
        now = now.plusSeconds(2);
        assertThat(m.live()).as("b heard 4 s ago, c 2 s ago").containsExactly("latchkey-cloud-a", "latchkey-cloud-c");
    }

    @Test
    void heartbeatsEverySecond_keepAReplicaLive() {
        ReplicaMembership m = new ReplicaMembership("latchkey-cloud-a", clock);
        for (int i = 0; i < 30; i++) {
            m.heard("latchkey-cloud-b");
            now = now.plus(ReplicaMembership.HEARTBEAT_EVERY).plusMillis(500); // late heartbeats too
            assertThat(m.live()).contains("latchkey-cloud-b");
        }
    }

    @Test
    void badIds_areRefused() {
        ReplicaMembership m = new ReplicaMembership("latchkey-cloud-a", clock);
        for (String bad : new String[] {"", "a/b", "+", "#", "x".repeat(65)}) {
            assertThatThrownBy(() -> m.heard(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(m.live()).containsExactly("latchkey-cloud-a");
    }

    @Test
    void everyViewWithTheSameReplicas_picksTheSameOwner_inAnyOrder() {
        List<String> ids = List.of("latchkey-cloud-a", "latchkey-cloud-b", "latchkey-cloud-c");
        for (int i = 0; i < 1000; i++) {
            String key = "acme/dev-" + i;
            String owner = ReplicaMembership.owner(key, ids);
            assertThat(ReplicaMembership.owner(key, List.of(ids.get(2), ids.get(0), ids.get(1)))).isEqualTo(owner);
            assertThat(ids).contains(owner);
        }
        // and the same as a replica computes it from its own view
        ReplicaMembership b = new ReplicaMembership("latchkey-cloud-b", clock);
        b.heard("latchkey-cloud-a");
        b.heard("latchkey-cloud-c");
        for (int i = 0; i < 100; i++) {
            assertThat(b.ownerOf("acme", "dev-" + i)).isEqualTo(ReplicaMembership.owner("acme/dev-" + i, ids));
        }
    }

    @Test
    void cars_spreadEvenlyOverTheReplicas() {
        for (int n = 2; n <= 5; n++) {
            List<String> ids = new java.util.ArrayList<>();
            for (int r = 0; r < n; r++) {
                ids.add("latchkey-cloud-" + (char) ('a' + r));
            }
            Map<String, Integer> owned = new HashMap<>();
            int cars = 20_000;
            for (int i = 0; i < cars; i++) {
                owned.merge(ReplicaMembership.owner("acme/dev-" + i, ids), 1, Integer::sum);
            }
            double fair = (double) cars / n;
            assertThat(owned).as(n + " replicas").hasSize(n);
            for (Map.Entry<String, Integer> e : owned.entrySet()) {
                assertThat(Math.abs(e.getValue() - fair) / fair).as(n + " replicas, " + e).isLessThan(0.05);
            }
        }
    }

    @Test
    void aReplicaLeaving_movesOnlyItsOwnCars_andJoiningTakesOnlyCarsItWins() {
        List<String> three = List.of("latchkey-cloud-a", "latchkey-cloud-b", "latchkey-cloud-c");
        List<String> two = List.of("latchkey-cloud-a", "latchkey-cloud-c");
        int moved = 0;
        int ownedByB = 0;
        for (int i = 0; i < 10_000; i++) {
            String key = (i % 2 == 0 ? "acme/" : "globex/") + "car-" + i;
            String before = ReplicaMembership.owner(key, three);
            String after = ReplicaMembership.owner(key, two);
            if (before.equals("latchkey-cloud-b")) {
                ownedByB++;
                moved++;
                assertThat(two).contains(after);
            } else {
                assertThat(after).as(key + " was not b's: it stays").isEqualTo(before);
            }
            // b coming back takes exactly its cars again
            assertThat(ReplicaMembership.owner(key, three)).isEqualTo(before);
        }
        assertThat(moved).isEqualTo(ownedByB).isBetween(3_000, 3_700);
    }

    @Test
    void theOwnerOfACar_isTheSameInEveryProcess() {
        // fixed expectations: the weight must not depend on the JVM (String.hashCode, a random seed)
        List<String> ids = List.of("latchkey-cloud-a", "latchkey-cloud-b");
        StringBuilder owners = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            owners.append(ReplicaMembership.owner("acme/dev-00" + i, ids).substring("latchkey-cloud-".length()));
        }
        assertThat(owners).as("FNV-1a and MurmurHash3's finaliser, as documented").hasToString("bbbabaab");
        assertThat(ReplicaMembership.owner("acme/dev-000", ids)).isEqualTo(ReplicaMembership.owner("acme/dev-000", List.of(
                new String("latchkey-cloud-b"), new String("latchkey-cloud-a"))));
        assertThatThrownBy(() -> ReplicaMembership.owner("acme/dev-000", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSilentReplica_isForgotten_soOwnershipFallsBack() {
        ReplicaMembership a = new ReplicaMembership("latchkey-cloud-a", clock);
        a.heard("latchkey-cloud-b");
        String bCar = null;
        for (int i = 0; bCar == null; i++) {
            if (a.ownerOf("acme", "dev-" + i).equals("latchkey-cloud-b")) {
                bCar = "dev-" + i;
            }
        }
        now = now.plus(ReplicaMembership.EXPIRES_AFTER).plus(Duration.ofMillis(1));
        assertThat(a.ownerOf("acme", bCar)).isEqualTo("latchkey-cloud-a");
    }
}
