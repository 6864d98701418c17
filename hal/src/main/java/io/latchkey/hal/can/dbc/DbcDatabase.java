package io.latchkey.hal.can.dbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The messages of one DBC file. Immutable and thread-safe. Read one with {@link #load(Path)} or
 * {@link DbcParser}; decode and encode frames with {@link DbcDecoder} and {@link DbcEncoder}.
 *
 * @param valueTables the named {@code VAL_TABLE_}s (signals get their labels from {@code VAL_} lines)
 * @param warnings    things tolerated while reading, e.g. a {@code VAL_} for a signal that does not exist
 */
public record DbcDatabase(String source, List<DbcMessage> messages, Map<String, Map<Long, String>> valueTables,
                          List<String> warnings) {
    public DbcDatabase {
        messages = List.copyOf(messages);
        valueTables = Map.copyOf(valueTables);
        warnings = List.copyOf(warnings);
    }

    public static DbcDatabase load(Path file) throws IOException {
        return DbcParser.parse(Files.readAllBytes(file), file.getFileName().toString());
    }

    public static DbcDatabase load(InputStream in, String sourceName) throws IOException {
        return DbcParser.parse(in.readAllBytes(), sourceName);
    }

    public Optional<DbcMessage> message(String name) {
        return messages.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<DbcMessage> message(int id, boolean extended) {
        return messages.stream().filter(m -> m.id() == id && m.extended() == extended).findFirst();
    }

    /** Messages by name, for callers that look many up. */
    public Map<String, DbcMessage> messagesByName() {
        Map<String, DbcMessage> byName = new HashMap<>();
        messages.forEach(m -> byName.put(m.name(), m));
        return byName;
    }
}
