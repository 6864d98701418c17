package io.latchkey.provisioning.selftest;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs checks in order, each to completion even if an earlier one failed, so the table shows everything at once. */
public final class SelfTest {
    private final List<Check> checks;

    public SelfTest(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public List<CheckResult> run(PrintWriter progress) {
        List<CheckResult> results = new ArrayList<>();
        int n = 0;
        for (Check check : checks) {
            progress.printf("[%d/%d] %s ... ", ++n, checks.size(), check.name());
            progress.flush();
            CheckResult result;
            try {
                result = check.run();
            } catch (RuntimeException e) {
                result = CheckResult.fail(check.name(), "error: " + e.getMessage(), "run selftest again; if it repeats, report the message");
            }
            progress.println(result.status());
            progress.flush();
            results.add(result);
        }
        return results;
    }
}
