package io.latchkey.provisioning.selftest;

/**
 * One row of the self-test table.
 *
 * @param detail what was measured or seen
 * @param hint   what the installer should do about a failure; empty when it passed
 */
public record CheckResult(String name, CheckStatus status, String detail, String hint) {
    public static CheckResult pass(String name, String detail) {
        return new CheckResult(name, CheckStatus.PASS, detail, "");
    }

    public static CheckResult fail(String name, String detail, String hint) {
        return new CheckResult(name, CheckStatus.FAIL, detail, hint);
    }

    public boolean passed() {
        return status == CheckStatus.PASS;
    }
}
