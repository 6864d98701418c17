package io.latchkey.provisioning;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The installer tool. Device identity, enrolment, self-test and decommissioning are built under
 * issue 5; until then this entry point only describes them and refuses to pretend it did anything.
 */
@Command(name = "latchkey provision", mixinStandardHelpOptions = true, version = "0.1.0",
        description = {
            "Installer tool: gives a device its own identity and proves an install works.",
            "",
            "Not yet implemented (tracked in issue 5): login, provision --car, selftest, decommission."
        })
public final class ProvisioningMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProvisioningMain()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "no installer command is available yet: provisioning is tracked in issue 5");
    }
}
