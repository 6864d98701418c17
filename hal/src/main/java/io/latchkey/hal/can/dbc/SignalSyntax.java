package io.latchkey.hal.can.dbc;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code SG_} line:
 * {@code SG_ name [M|mN|mNM] : start|length@order sign (factor,offset) [min|max] "unit" receiver,receiver}.
 */
final class SignalSyntax {
    private SignalSyntax() {
    }

    static SignalBuilder read(DbcScanner s) {
        SignalBuilder b = new SignalBuilder();
        b.line = s.line();
        b.name = s.identifier("signal name");
        if (s.peek() != ':') {
            multiplexing(s.identifier("multiplexer indicator M or mN"), b, s);
        }
        s.expect(':');
        b.startBit = (int) s.unsigned("start bit");
        s.expect('|');
        b.length = (int) s.unsigned("bit length");
        s.expect('@');
        char order = s.nextRaw("byte order 0 or 1");
        if (order != '0' && order != '1') {
            throw s.error("expected byte order 0 (big-endian) or 1 (little-endian)");
        }
        b.byteOrder = order == '1' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        char sign = s.nextRaw("sign + or -");
        if (sign != '+' && sign != '-') {
            throw s.error("expected sign + or -");
        }
        b.signed = sign == '-';
        s.expect('(');
        b.factor = s.number("factor");
        s.expect(',');
        b.offset = s.number("offset");
        s.expect(')');
        s.expect('[');
        b.minimum = s.number("minimum");
        s.expect('|');
        b.maximum = s.number("maximum");
        s.expect(']');
        b.unit = s.string("unit");
        b.receivers = receivers(s);
        if (b.factor == 0 || !Double.isFinite(b.factor) || !Double.isFinite(b.offset)) {
            throw new DbcParseException(s.source(), b.line, "signal " + b.name + " has factor " + b.factor
                    + " and offset " + b.offset + ": the factor must be finite and non-zero");
        }
        return b;
    }

    private static void multiplexing(String token, SignalBuilder b, DbcScanner s) {
        if (token.equals("M")) {
            b.multiplexor = true;
            return;
        }
        String digits = token.startsWith("m") ? (token.endsWith("M") ? token.substring(1, token.length() - 1) : token.substring(1)) : "";
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            throw s.error("expected multiplexer indicator M or mN, not '" + token + "'");
        }
        b.multiplexerValue = Long.parseLong(digits);
    }

    private static List<String> receivers(DbcScanner s) {
        List<String> receivers = new ArrayList<>();
        while (!s.atEnd()) {
            receivers.add(s.identifier("receiver node"));
            if (!s.atEnd() && !s.tryConsume(',')) {
                throw s.error("expected ',' between receivers");
            }
        }
        return receivers;
    }
}
