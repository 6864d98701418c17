package io.latchkey.agent.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** Standard input, output and error of a command, injected so that tests can run the CLI in-process. */
public record Streams(InputStream in, PrintStream out, PrintStream err) {
    public static Streams system() {
        return new Streams(System.in, System.out, System.err);
    }
}
