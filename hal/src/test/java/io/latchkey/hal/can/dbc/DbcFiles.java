package io.latchkey.hal.can.dbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** The real DBC files from opendbc in the test resources. */
final class DbcFiles {
    static final String HYUNDAI = "hyundai_i30_2014.dbc";
    static final String FORD = "ford_cgea1_2_bodycan_2011.dbc";
    static final String TESLA = "tesla_can.dbc";

    private DbcFiles() {
    }

    static DbcDatabase load(String name) {
        try (InputStream in = Objects.requireNonNull(DbcFiles.class.getResourceAsStream("/dbc/" + name), name)) {
            return DbcDatabase.load(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String name) {
        try (InputStream in = Objects.requireNonNull(DbcFiles.class.getResourceAsStream("/dbc/" + name), name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
