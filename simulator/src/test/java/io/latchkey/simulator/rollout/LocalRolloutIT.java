package io.latchkey.simulator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.broker.ManagedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sim rollout} end to end on a bare broker with the simulator's rollout stand-in: 40 real agents with slots and
 * the launcher twin, a tenth of them with a bad build (crash, exit 2, never connects), a tenth with a power cut during
 * the install or mark-good, two in a rental. The rollout halts at the first wave over the threshold, every bad device
 * that got the release is back on the old version by itself, no good one is between versions, the rented cars are
 * untouched.
 */
class LocalRolloutIT {
    @TempDir
    Path dir;

    @Test
    void badBuildsHaltTheRollout_andRollBackByThemselves() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        ManagedBroker broker = new ManagedBroker(dir.resolve("broker"), 0, false);
        FleetRollout.Result result;
        try {
            FleetRollout.Options options = new FleetRollout.Options(40, List.of(25, 100), 5, 0.10, 0.10, 0.05,
                    Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(25), 7, dir.resolve("work"));
            result = new FleetRollout(options, out).run(new LocalSetup("simrollout", broker.url(), 40));
        } finally {
            broker.close();
            System.out.print(log.toString(StandardCharsets.UTF_8));
        }
        result.measures().forEach((k, v) -> System.out.println(k + ": " + v));
        result.checks().forEach((k, v) -> assertThat(v).as(k).isEmpty());
        assertThat((String) result.measures().get("rollout state")).startsWith("HALTED");
        assertThat(result.measures().get("rollback time from the trial's first start to the previous release running again (s), by bad build").toString())
                .contains("CRASH", "HANG"); // the kinds take turns in rollout order: the first wave's two bad builds are one of each
    }
}
