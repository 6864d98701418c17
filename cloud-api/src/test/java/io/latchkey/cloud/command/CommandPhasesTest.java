package io.latchkey.cloud.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CommandPhasesTest {
    private static final Pattern MS = Pattern.compile("caller ([0-9.]+) ms, checks ([0-9.]+) ms, record ([0-9.]+) ms, publish ([0-9.]+) ms, "
            + "car ([0-9.]+) ms, answer ([0-9.]+) ms");

    @Test
    void everyPhaseReached_isTimedFromTheEndOfTheOneBefore_andTheyAddUpToTheWhole() throws Exception {
        long received = System.nanoTime();
        Thread.sleep(10);
        CommandPhases phases = new CommandPhases(received);
        Thread.sleep(20);
        phases.checked();
        phases.recorded();
        phases.published();
        Thread.sleep(30);
        phases.answered();
        long end = System.nanoTime();
        double total = phases.totalMs();

        Matcher m = MS.matcher(phases.describe(end));
        assertThat(m.matches()).as(phases.describe(end)).isTrue();
        double callerMs = Double.parseDouble(m.group(1));
        double checks = Double.parseDouble(m.group(2));
        double car = Double.parseDouble(m.group(5));
        assertThat(callerMs).isGreaterThanOrEqualTo(10);
        assertThat(checks).isGreaterThanOrEqualTo(20);
        assertThat(car).isGreaterThanOrEqualTo(30);
        double sum = callerMs + checks + car + Double.parseDouble(m.group(3)) + Double.parseDouble(m.group(4))
                + Double.parseDouble(m.group(6));
        assertThat(sum).isCloseTo(total, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void aPhaseNotReached_readsAsADash() {
        CommandPhases phases = new CommandPhases();
        phases.checked();
        phases.recorded();
        phases.published();
        // no answer: a timeout

        assertThat(phases.describe(System.nanoTime())).matches("caller -, checks [0-9.]+ ms, record [0-9.]+ ms, publish [0-9.]+ ms, car -, answer -");
    }
}
