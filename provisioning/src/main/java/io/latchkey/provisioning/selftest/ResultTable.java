package io.latchkey.provisioning.selftest;

import java.util.List;

/** The pass/fail table an installer reads before leaving the car; failures carry what to do. */
public final class ResultTable {
    private ResultTable() {
    }

    public static String render(List<CheckResult> results) {
        int nameWidth = Math.max("CHECK".length(), results.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        StringBuilder out = new StringBuilder();
        String format = "%-" + nameWidth + "s  %-6s  %s%n";
        out.append(String.format(format, "CHECK", "RESULT", "DETAIL"));
        for (CheckResult r : results) {
            out.append(String.format(format, r.name(), r.status(), r.detail()));
            if (!r.passed()) {
                out.append(String.format(format, "", "", "-> " + r.hint()));
            }
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.append(failed == 0
                ? "All " + results.size() + " checks passed: the install is verified.\n"
                : failed + " of " + results.size() + " checks failed: fix them and run selftest again before leaving the car.\n");
        return out.toString();
    }
}
