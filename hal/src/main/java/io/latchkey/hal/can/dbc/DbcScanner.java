package io.latchkey.hal.can.dbc;

/** A cursor over one statement's text, with the DBC lexical rules and errors that name the line. */
final class DbcScanner {
    private final DbcStatement statement;
    private final String source;
    private final String text;
    private int pos;

    DbcScanner(DbcStatement statement, String source) {
        this.statement = statement;
        this.source = source;
        this.text = statement.text();
        this.pos = statement.keyword().length() + firstNonSpace();
    }

    private int firstNonSpace() {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    boolean atEnd() {
        skipSpace();
        return pos >= text.length();
    }

    /** The next non-space character, or 0 at the end. */
    char peek() {
        skipSpace();
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    boolean tryConsume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!tryConsume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** The next character with no space skipped, for the packed {@code 7|16@0+} notation. */
    char nextRaw(String what) {
        if (pos >= text.length()) {
            throw error("expected " + what);
        }
        return text.charAt(pos++);
    }

    String identifier(String what) {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos || Character.isDigit(text.charAt(start))) {
            pos = start;
            throw error("expected " + what);
        }
        return text.substring(start, pos);
    }

    boolean nextIsIdentifier() {
        char c = peek();
        return Character.isLetter(c) || c == '_';
    }

    long unsigned(String what) {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos || pos - start > 18) {
            pos = start;
            throw error("expected " + what);
        }
        return Long.parseLong(text.substring(start, pos));
    }

    boolean nextIsNumber() {
        char c = peek();
        return Character.isDigit(c) || c == '-' || c == '+' || c == '.';
    }

    /** A decimal number as DBC files write them: {@code -1638.35}, {@code 2E-05}, {@code 1.67772e+006}. */
    double number(String what) {
        skipSpace();
        int start = pos;
        while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String token = text.substring(start, pos);
        try {
            if (token.isEmpty()) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected " + what);
        }
    }

    /** A double-quoted string; backslash escapes the next character. */
    String string(String what) {
        if (peek() != '"') {
            throw error("expected " + what + " in double quotes");
        }
        pos++;
        StringBuilder s = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != '"') {
            if (text.charAt(pos) == '\\' && pos + 1 < text.length()) {
                pos++;
            }
            s.append(text.charAt(pos++));
        }
        if (pos >= text.length()) {
            throw error("unterminated string");
        }
        pos++;
        return s.toString();
    }

    String source() {
        return source;
    }

    int line() {
        return statement.lineAt(Math.min(pos, Math.max(0, text.length() - 1)));
    }

    DbcParseException error(String message) {
        skipSpace();
        String found = pos >= text.length() ? "end of statement"
                : "'" + text.substring(pos, Math.min(text.length(), pos + 20)).split("\\s", 2)[0] + "'";
        return new DbcParseException(source, line(), statement.keyword() + ": " + message + ", found " + found);
    }
}
