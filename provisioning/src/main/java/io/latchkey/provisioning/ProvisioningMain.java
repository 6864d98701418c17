package io.latchkey.provisioning;

import io.latchkey.provisioning.bundle.ProvisionCommand;
import io.latchkey.provisioning.decommission.DecommissionCommand;
import io.latchkey.provisioning.login.LoginCommand;
import io.latchkey.provisioning.selftest.SelftestCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The installer tool, {@code ./latchkey provision <command>}. Every failure prints what went wrong and
 * the next step, and exits with one of the {@link ExitCodes}.
 */
@Command(name = "latchkey provision", mixinStandardHelpOptions = true, version = "0.1.0",
        description = {"Installer tool: gives a device its own identity and proves an install works.", "",
            "  login         sign in as an installer of one tenant",
            "  provision     create a device's key and certificate and write its bundle",
            "  selftest      on the device: check locks, CAN, GNSS, supply, broker; upload a signed report",
            "  decommission  revoke a device's certificate", "",
            "Exit codes: 0 ok, 1 a self-test check failed, 2 usage, 3 not signed in, 4 refused by the backend,",
            "5 backend unreachable, 6 local files."})
public final class ProvisioningMain implements Runnable {
    public static void main(String[] args) {
        System.exit(commandLine(Environment.system()).execute(args));
    }

    /** The command line with every subcommand bound to {@code env}; tests run it with their own. */
    public static CommandLine commandLine(Environment env) {
        CommandLine cli = new CommandLine(new ProvisioningMain())
                .addSubcommand("login", new LoginCommand(env))
                .addSubcommand("provision", new ProvisionCommand(env), "device")
                .addSubcommand("selftest", new SelftestCommand(env))
                .addSubcommand("decommission", new DecommissionCommand(env));
        cli.setOut(env.out());
        cli.setErr(env.err());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ProvisioningException p) {
                env.err().println("FAILED: " + p.getMessage());
                env.err().println("Next:   " + p.nextStep());
                env.err().flush();
                return p.exitCode();
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command: login, provision, selftest or decommission");
    }
}
