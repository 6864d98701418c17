package io.latchkey.hal.can.dbc;

import java.util.List;

/**
 * One DBC statement: a keyword and its text, which may span lines (node lists, comments with line
 * breaks, long value tables). Keeps where each line starts so that errors name the right line.
 */
record DbcStatement(String keyword, String text, int firstLine, List<Integer> lineStarts) {
    int lineAt(int offset) {
        int line = firstLine;
        for (int i = 1; i < lineStarts.size() && lineStarts.get(i) <= offset; i++) {
            line = firstLine + i;
        }
        return line;
    }
}
