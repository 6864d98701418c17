package io.latchkey.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link RunCommand#plain}: the unit's command line read without picocli, exactly as picocli reads it, or not at all. */
class RunCommandTest {

    /** What picocli makes of the same words after {@code run}, or empty when it refuses them or would show help. */
    private static Optional<RunCommand> picocli(String... words) {
        RunCommand run = new RunCommand();
        CommandLine cli = new CommandLine(run);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(words);
            if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
                return Optional.empty();
            }
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
        return Optional.of(run);
    }

    private static String[] run(String... words) {
        String[] args = new String[words.length + 1];
        args[0] = "run";
        System.arraycopy(words, 0, args, 1, words.length);
        return args;
    }

    @Test
    void theUnitsLines_areReadAsPicocliReadsThem() {
        String[][] lines = {
            {"--config", "/etc/latchkey/agent.properties"},
            {"-c", "/etc/latchkey/agent.properties"},
            {"--config=/etc/latchkey/agent.json"},
            {"--simulated", "--config", "a.properties"},
            {"--config", "a.properties", "--simulated", "--sim-lat", "48.1", "--sim-lon=-11.5e0"},
            {"--sim-lon", "2", "-c", "x y.properties", "--sim-lat=0x1p3"},
        };
        for (String[] words : lines) {
            RunCommand ours = RunCommand.plain(run(words)).orElseThrow(() -> new AssertionError(String.join(" ", words)));
            RunCommand theirs = picocli(words).orElseThrow();
            assertThat(ours.configFile()).as(String.join(" ", words)).isEqualTo(theirs.configFile());
            assertThat(ours.simulated()).as(String.join(" ", words)).isEqualTo(theirs.simulated());
            assertThat(ours.lat()).as(String.join(" ", words)).isEqualTo(theirs.lat());
            assertThat(ours.lon()).as(String.join(" ", words)).isEqualTo(theirs.lon());
        }
        RunCommand defaults = RunCommand.plain(run("-c", "a")).orElseThrow();
        assertThat(defaults.lat()).isEqualTo(52.52);
        assertThat(defaults.lon()).isEqualTo(13.405);
        assertThat(defaults.simulated()).isFalse();
        assertThat(defaults.configFile()).isEqualTo(Path.of("a"));
    }

    @Test
    void everythingElse_isLeftToPicocli() {
        String[][] lines = {
            {},
            {"--simulated"},                                  // --config is required
            {"--help"}, {"-h", "--config", "a"}, {"--version"}, {"-V"},
            {"--config", "a", "--config", "b"},               // picocli refuses a repeated option
            {"--config", "a", "-c", "b"},
            {"--config", "a", "--simulated", "--simulated"},
            {"--config"},                                     // no value
            {"--config", "a", "--sim-lat", "north"},          // not a number
            {"--config", "a", "--sim-lat="},
            {"--config", "a", "extra"},                       // no positional parameters
            {"--config", "a", "--unknown"},
            {"--config", "a", "--simulated=true"},
            {"-ca"}, {"-c=a"}, {"@args.txt"}, {"--", "--config", "a"},
        };
        for (String[] words : lines) {
            assertThat(RunCommand.plain(run(words))).as(String.join(" ", words)).isEmpty();
        }
        assertThat(RunCommand.plain(new String[] {"status", "--config", "a"})).isEmpty();
        assertThat(RunCommand.plain(new String[] {"--config", "a"})).isEmpty();
        assertThat(RunCommand.plain(new String[] {})).isEmpty();
        // and what picocli refuses, the fast path never accepts
        for (String[] words : new String[][] {{"--config", "a", "--config", "b"}, {"--simulated"}, {"--config", "a", "--sim-lat", "north"}}) {
            assertThat(picocli(words)).as(String.join(" ", words)).isEmpty();
        }
    }
}
