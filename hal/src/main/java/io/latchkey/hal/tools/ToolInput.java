package io.latchkey.hal.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tool's input: a file name, or {@code -} for standard input. */
final class ToolInput {
    private ToolInput() {
    }

    static InputStream open(String name, InputStream stdin) throws IOException {
        return "-".equals(name) ? new NonClosing(stdin) : Files.newInputStream(Path.of(name));
    }

    /** Standard input belongs to the caller; closing our reader must not close it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
