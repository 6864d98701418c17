package io.latchkey.agent;

import io.latchkey.agent.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code latchkey-agent <subcommand>}: {@code run} starts the agent from a config file; the
 * installers' diagnostics ({@code decode nmea|can}) join here with issue 3.
 */
@Command(name = "latchkey-agent", mixinStandardHelpOptions = true, version = "latchkey-agent 0.1.0",
        description = "The Latchkey device agent.", subcommands = {RunCommand.class})
public final class AgentMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "latchkey-agent-logback.xml");
        }
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }
}
