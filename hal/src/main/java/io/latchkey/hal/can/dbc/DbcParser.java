package io.latchkey.hal.can.dbc;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads DBC files as Vector's tools and opendbc write them. Understood: {@code BO_}, {@code SG_}
 * (including multiplexing {@code M}/{@code mN}), {@code VAL_}, {@code VAL_TABLE_}, {@code SIG_VALTYPE_}.
 * Every other keyword (comments, attributes, nodes, environment variables, signal groups) is read over.
 * Anything else raises {@link DbcParseException} with the line number.
 *
 * <p>Extended multiplexing ({@code m1M}, {@code SG_MUL_VAL_}) is read, but only one level is honoured:
 * an {@code mNM} signal counts as multiplexed by the message's {@code M} signal. CAN FD payloads over
 * 8 bytes are refused.
 */
public final class DbcParser {
    private static final int EXTENDED_FLAG = 0x8000_0000;
    /** Vector's pseudo-message that holds signals attached to no message. */
    private static final String INDEPENDENT_SIGNALS = "VECTOR__INDEPENDENT_SIG_MSG";

    private final String source;
    private final List<MessageBuilder> messages = new ArrayList<>();
    private final Map<Long, MessageBuilder> byKey = new HashMap<>();
    private final Map<String, Map<Long, String>> valueTables = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private MessageBuilder current;

    private DbcParser(String source) {
        this.source = source;
    }

    /** Parses a file's bytes: UTF-8 if they are valid UTF-8, else Windows-1252 as older Vector tools write. */
    public static DbcDatabase parse(byte[] content, String sourceName) {
        return parse(decode(content), sourceName);
    }

    public static DbcDatabase parse(String content, String sourceName) {
        DbcParser parser = new DbcParser(sourceName);
        for (DbcStatement statement : DbcStatementSplitter.split(content, sourceName)) {
            parser.statement(statement);
        }
        return parser.build();
    }

    private static String decode(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return new String(content, java.nio.charset.Charset.forName("windows-1252"));
        }
    }

    private void statement(DbcStatement statement) {
        DbcScanner scanner = new DbcScanner(statement, source);
        switch (statement.keyword()) {
            case "BO_" -> message(scanner);
            case "SG_" -> signal(scanner);
            case "VAL_" -> valueLabels(scanner);
            case "VAL_TABLE_" -> valueTable(scanner);
            case "SIG_VALTYPE_" -> valueType(scanner);
            default -> current = "BO_TX_BU_".equals(statement.keyword()) ? current : null;
        }
    }

    // BO_ 1264 CLU1: 8 CLU
    private void message(DbcScanner s) {
        long rawId = s.unsigned("message id");
        String name = s.identifier("message name");
        s.expect(':');
        long size = s.unsigned("message size");
        String transmitter = s.nextIsIdentifier() ? s.identifier("transmitter") : "";
        if (!s.atEnd()) {
            throw s.error("unexpected text after the transmitter");
        }
        if (INDEPENDENT_SIGNALS.equals(name)) {
            current = new MessageBuilder(0, false, name, 0, transmitter, s.line());
            return;
        }
        boolean extended = (rawId & EXTENDED_FLAG) != 0;
        long id = rawId & ~(long) EXTENDED_FLAG;
        if (rawId > 0xFFFF_FFFFL || id > (extended ? 0x1FFF_FFFF : 0x7FF)) {
            throw new DbcParseException(source, s.line(), "message id " + rawId + " out of range");
        }
        if (size > 8) {
            throw new DbcParseException(source, s.line(), "message " + name + " has " + size
                    + " bytes: CAN FD payloads are not supported");
        }
        MessageBuilder message = new MessageBuilder((int) id, extended, name, (int) size, transmitter, s.line());
        if (byKey.putIfAbsent(key((int) id, extended), message) != null) {
            throw new DbcParseException(source, s.line(), "message id " + id + " defined twice");
        }
        messages.add(message);
        current = message;
    }

    private void signal(DbcScanner s) {
        if (current == null) {
            throw new DbcParseException(source, s.line(), "SG_ outside a BO_ message");
        }
        SignalBuilder signal = SignalSyntax.read(s);
        if (current.signals.containsKey(signal.name)) {
            throw new DbcParseException(source, signal.line, "signal " + signal.name + " defined twice in " + current.name);
        }
        String layoutProblem = BitLayout.check(signal.startBit, signal.length, signal.byteOrder);
        if (layoutProblem != null) {
            throw new DbcParseException(source, signal.line, "signal " + signal.name + ": " + layoutProblem);
        }
        current.signals.put(signal.name, signal);
    }

    // VAL_ 792 DOOR_STATE_FL 3 "SNA" 2 "Init" 1 "open" 0 "closed" ;
    private void valueLabels(DbcScanner s) {
        if (!Character.isDigit(s.peek())) {
            return; // VAL_ for an environment variable
        }
        int line = s.line();
        long rawId = s.unsigned("message id");
        String signalName = s.identifier("signal name");
        Map<Long, String> labels = labelList(s);
        MessageBuilder message = byKey.get(key((int) (rawId & 0x1FFF_FFFF), (rawId & EXTENDED_FLAG) != 0));
        SignalBuilder signal = message == null ? null : message.signals.get(signalName);
        if (signal == null) {
            warnings.add(source + ":" + line + ": VAL_ for unknown signal " + rawId + " " + signalName + " ignored");
            return;
        }
        signal.labels.putAll(labels);
    }

    private void valueTable(DbcScanner s) {
        String name = s.identifier("value table name");
        valueTables.put(name, labelList(s));
    }

    // SIG_VALTYPE_ 1024 Temperature : 1;
    private void valueType(DbcScanner s) {
        int line = s.line();
        long rawId = s.unsigned("message id");
        String signalName = s.identifier("signal name");
        s.expect(':');
        long type = s.unsigned("value type 0, 1 or 2");
        s.tryConsume(';');
        MessageBuilder message = byKey.get(key((int) (rawId & 0x1FFF_FFFF), (rawId & EXTENDED_FLAG) != 0));
        SignalBuilder signal = message == null ? null : message.signals.get(signalName);
        if (signal == null || type > 2) {
            warnings.add(source + ":" + line + ": SIG_VALTYPE_ for " + rawId + " " + signalName + " ignored");
            return;
        }
        ValueType valueType = type == 0 ? ValueType.INTEGER : type == 1 ? ValueType.FLOAT32 : ValueType.FLOAT64;
        int needed = valueType == ValueType.FLOAT32 ? 32 : valueType == ValueType.FLOAT64 ? 64 : signal.length;
        if (signal.length != needed) {
            throw new DbcParseException(source, line, "signal " + signalName + " has " + signal.length
                    + " bits, a " + valueType + " needs " + needed);
        }
        signal.valueType = valueType;
    }

    private static Map<Long, String> labelList(DbcScanner s) {
        Map<Long, String> labels = new LinkedHashMap<>();
        while (!s.atEnd() && s.peek() != ';') {
            double value = s.number("a value");
            if (value != Math.rint(value) || Math.abs(value) > 9.2e18) {
                throw s.error("value " + value + " is not an integer");
            }
            labels.put((long) value, s.string("the value's label"));
        }
        s.expect(';');
        if (!s.atEnd()) {
            throw s.error("unexpected text after ';'");
        }
        return labels;
    }

    private DbcDatabase build() {
        List<DbcMessage> built = new ArrayList<>();
        for (MessageBuilder m : messages) {
            built.add(m.build(source, warnings));
        }
        return new DbcDatabase(source, built, valueTables, warnings);
    }

    static long key(int id, boolean extended) {
        return extended ? (1L << 32) | id : id;
    }
}
