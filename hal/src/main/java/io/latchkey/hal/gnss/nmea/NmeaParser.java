package io.latchkey.hal.gnss.nmea;

/**
 * Reads one line into an {@link NmeaSentence}. The checksum is mandatory: on a serial line a missing
 * {@code *hh} is how a truncated sentence shows, and a wrong one how a corrupted byte shows.
 *
 * <p>Stateless and thread-safe. Everything that is not a valid sentence raises
 * {@link NmeaParseException}; nothing else escapes.
 */
public final class NmeaParser {
    /** Generous upper bound: NMEA allows 82 characters, some receivers exceed it slightly. */
    static final int MAX_LENGTH = 256;

    private NmeaParser() {
    }

    /**
     * Parses a line with or without its CR/LF. Bytes before the last {@code $} are ignored, because a
     * receiver that starts up mid-sentence leaves a stub of the previous sentence on the same line.
     */
    public static NmeaSentence parse(String line) {
        String text = stripLineEnd(line);
        int start = text.lastIndexOf('$');
        if (start < 0) {
            throw new NmeaParseException(text.isEmpty() ? "empty line" : "no '$' sentence start");
        }
        if (text.length() - start > MAX_LENGTH) {
            throw new NmeaParseException("sentence longer than " + MAX_LENGTH + " characters");
        }
        int star = text.indexOf('*', start);
        if (star < 0) {
            throw new NmeaParseException("no '*' checksum: truncated sentence");
        }
        verifyChecksum(text, start, star);
        String[] fields = text.substring(start + 1, star).split(",", -1);
        return decode(fields);
    }

    /** Whether a line is a comment or blank, which log files such as gpsd's captures contain. */
    public static boolean isCommentOrBlank(String line) {
        String text = stripLineEnd(line).strip();
        return text.isEmpty() || text.startsWith("#");
    }

    /** The NMEA checksum: XOR of every character between {@code $} and {@code *}. */
    public static int checksum(CharSequence body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            sum ^= body.charAt(i);
        }
        return sum & 0xFF;
    }

    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    private static void verifyChecksum(String text, int start, int star) {
        if (text.length() < star + 3) {
            throw new NmeaParseException("checksum cut short: truncated sentence");
        }
        if (text.length() > star + 3 && !text.substring(star + 3).isBlank()) {
            throw new NmeaParseException("characters after the checksum");
        }
        int declared = hexByte(text.charAt(star + 1), text.charAt(star + 2));
        int computed = checksum(text.subSequence(start + 1, star));
        if (declared != computed) {
            throw new NmeaParseException(String.format("checksum mismatch: sentence says %02X, content gives %02X",
                    declared, computed));
        }
    }

    private static int hexByte(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        if (h < 0 || l < 0 || high > 'f' || low > 'f') {
            throw new NmeaParseException("checksum is not two hex digits");
        }
        return h << 4 | l;
    }

    private static NmeaSentence decode(String[] fields) {
        String address = fields[0];
        if (address.startsWith("P") && address.length() > 1) {
            return new NmeaSentence.Other("P", address.substring(1));
        }
        if (address.length() != 5 || !address.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            throw new NmeaParseException("bad address field '" + address + "'");
        }
        String talker = address.substring(0, 2);
        String type = address.substring(2);
        NmeaFields f = new NmeaFields(address, fields);
        return switch (type) {
            case "RMC" -> SentenceDecoders.rmc(talker, f);
            case "GGA" -> SentenceDecoders.gga(talker, f);
            case "GLL" -> SentenceDecoders.gll(talker, f);
            case "GSA" -> SentenceDecoders.gsa(talker, f);
            case "VTG" -> SentenceDecoders.vtg(talker, f);
            case "ZDA" -> SentenceDecoders.zda(talker, f);
            default -> new NmeaSentence.Other(talker, type);
        };
    }
}
