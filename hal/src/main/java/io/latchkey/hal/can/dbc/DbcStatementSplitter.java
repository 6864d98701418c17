package io.latchkey.hal.can.dbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts a DBC file into statements. A statement starts at a line whose first word is a DBC keyword; a
 * line that does not start with one continues the statement before it when that statement may span
 * lines, and is a syntax error after the one-line {@code BO_} and {@code SG_}. Quoted strings may span
 * lines. The indented keyword list under {@code NS_} belongs to {@code NS_}.
 */
final class DbcStatementSplitter {
    static final Set<String> KEYWORDS = Set.of("VERSION", "NS_", "NS_DESC_", "CM_", "BA_DEF_", "BA_", "VAL_", "CAT_DEF_",
            "CAT_", "FILTER", "BA_DEF_DEF_", "EV_DATA_", "ENVVAR_DATA_", "SGTYPE_", "SGTYPE_VAL_", "BA_DEF_SGTYPE_",
            "BA_SGTYPE_", "SIG_TYPE_REF_", "VAL_TABLE_", "SIG_GROUP_", "SIG_VALTYPE_", "SIGTYPE_VALTYPE_", "BO_TX_BU_",
            "BA_DEF_REL_", "BA_REL_", "BA_DEF_DEF_REL_", "BU_SG_REL_", "BU_EV_REL_", "BU_BO_REL_", "SG_MUL_VAL_", "BS_",
            "BU_", "BO_", "SG_", "EV_");
    private static final Set<String> ONE_LINE = Set.of("BO_", "SG_");

    private final String source;
    private final List<DbcStatement> statements = new ArrayList<>();
    private String keyword;
    private StringBuilder text;
    private int firstLine;
    private List<Integer> lineStarts;
    private boolean inString;

    private DbcStatementSplitter(String source) {
        this.source = source;
    }

    static List<DbcStatement> split(String content, String source) {
        DbcStatementSplitter splitter = new DbcStatementSplitter(source);
        String[] lines = content.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            splitter.line(lines[i], i + 1);
        }
        splitter.finish(lines.length);
        return splitter.statements;
    }

    private void line(String line, int number) {
        if (inString) {
            append(line, number);
            return;
        }
        String word = firstWord(line);
        boolean indented = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
        boolean nsList = "NS_".equals(keyword) && indented;
        if (KEYWORDS.contains(word) && !nsList) {
            finish(number);
            keyword = word;
            text = new StringBuilder();
            firstLine = number;
            lineStarts = new ArrayList<>();
            append(line, number);
        } else if (line.isBlank()) {
            if (keyword != null && !ONE_LINE.contains(keyword)) {
                append(line, number);
            }
        } else if (keyword == null) {
            throw new DbcParseException(source, number, "expected a DBC keyword, found '" + word + "'");
        } else if (ONE_LINE.contains(keyword)) {
            throw new DbcParseException(source, number, "unexpected text '" + line.strip() + "' after " + keyword);
        } else {
            append(line, number);
        }
    }

    private void append(String line, int number) {
        lineStarts.add(text.length());
        text.append(line).append('\n');
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            }
        }
    }

    private void finish(int number) {
        if (inString) {
            throw new DbcParseException(source, firstLine, "string opened here is never closed");
        }
        if (keyword != null) {
            statements.add(new DbcStatement(keyword, text.toString(), firstLine, lineStarts));
        }
        keyword = null;
    }

    private static String firstWord(String line) {
        int start = 0;
        while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
            end++;
        }
        return line.substring(start, end);
    }
}
