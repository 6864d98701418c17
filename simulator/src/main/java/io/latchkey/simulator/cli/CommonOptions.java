package io.latchkey.simulator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every subcommand takes. */
public final class CommonOptions {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "backend base URL (default ${DEFAULT-VALUE})")
    public String url;

    @Option(names = "--data-dir", description = "where the simulated agents keep their state (default: a new temporary directory)")
    public Path dataDir;

    @Option(names = {"-v", "--verbose"}, description = "log what the agents do")
    public boolean verbose;

    public Path dataDir(String prefix) {
        try {
            return dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory", e);
        }
    }

    public void applyLogging() {
        if (verbose && LoggerFactory.getLogger("io.latchkey") instanceof Logger l) {
            l.setLevel(Level.INFO);
        }
    }
}
