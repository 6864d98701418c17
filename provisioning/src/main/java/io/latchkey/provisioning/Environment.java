package io.latchkey.provisioning;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the outside world, injected so that tests run the real commands
 * against a temporary home, a fixed clock and captured output.
 *
 * @param configDir where the installer token lives ({@code ~/.config/latchkey} by default)
 * @param variables environment variables (for {@code --password-env})
 */
public record Environment(Path configDir, Clock clock, SecureRandom random, PrintWriter out, PrintWriter err,
                          InputStream in, Map<String, String> variables) {
    public Environment {
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(in, "in");
        variables = Map.copyOf(variables);
    }

    /** The real one: {@code $LATCHKEY_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/latchkey}, else {@code ~/.config/latchkey}. */
    public static Environment system() {
        Map<String, String> env = System.getenv();
        Path dir;
        if (env.get("LATCHKEY_CONFIG_DIR") != null) {
            dir = Path.of(env.get("LATCHKEY_CONFIG_DIR"));
        } else if (env.get("XDG_CONFIG_HOME") != null) {
            dir = Path.of(env.get("XDG_CONFIG_HOME"), "latchkey");
        } else {
            dir = Path.of(System.getProperty("user.home"), ".config", "latchkey");
        }
        return new Environment(dir, Clock.systemUTC(), new SecureRandom(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), System.in, env);
    }
}
