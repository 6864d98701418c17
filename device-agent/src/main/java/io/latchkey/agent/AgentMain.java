package io.latchkey.agent;

import io.latchkey.agent.cli.DecodeCommand;
import io.latchkey.agent.cli.RunCommand;
import io.latchkey.agent.cli.Streams;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code latchkey-agent <subcommand>}: {@code run} starts the agent from a config file;
 * {@code decode nmea|can} are the installers' diagnostics over hal's decoders.
 */
@Command(name = "latchkey-agent", mixinStandardHelpOptions = true, version = "latchkey-agent 0.1.0",
        description = "The Latchkey device agent.")
public final class AgentMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The whole command tree, reading and writing the given streams. */
    public static CommandLine commandLine(Streams streams) {
        CommandLine decode = new CommandLine(new DecodeCommand())
                .addSubcommand(DecodeCommand.nmea(streams))
                .addSubcommand(DecodeCommand.can(streams));
        // hal's tools parse their own arguments (--dbc, -h, '-'): hand every word over unchanged.
        decode.getSubcommands().values().forEach(c -> c.setUnmatchedOptionsArePositionalParams(true));
        CommandLine cli = new CommandLine(new AgentMain())
                .addSubcommand(new RunCommand())
                .addSubcommand(new io.latchkey.agent.cli.StatusCommand())
                .addSubcommand(new io.latchkey.agent.cli.BundleCommand())
                .addSubcommand(decode);
        cli.setOut(new java.io.PrintWriter(streams.out(), true));
        cli.setErr(new java.io.PrintWriter(streams.err(), true));
        return cli;
    }

    public static void main(String[] args) {
        StartupTrace.mark("main");
        if (System.getProperty("logback.configurationFile") == null) {
            // logging set up in code (cli.AgentLogging), as latchkey-agent-logback.xml says, without logback's XML reader
            System.setProperty(io.latchkey.agent.cli.AgentLogging.PROPERTY, io.latchkey.agent.cli.AgentLogging.BUILTIN);
            // and the same lines through the agent's own small SLF4J provider rather than logback (cli.AgentLogProvider)
            if (System.getProperty(io.latchkey.agent.cli.AgentLogProvider.SLF4J_PROVIDER) == null) {
                System.setProperty(io.latchkey.agent.cli.AgentLogProvider.SLF4J_PROVIDER, io.latchkey.agent.cli.AgentLogProvider.class.getName());
                // without SLF4J's own "SLF4J(I): Attempting to load provider ..." line on standard error at every start
                if (System.getProperty("slf4j.internal.verbosity") == null) {
                    System.setProperty("slf4j.internal.verbosity", "WARN");
                }
            }
        }
        // the wire and the state files through jackson-core's streaming API, without databind's ~500 classes (Json)
        if (System.getProperty(io.latchkey.protocol.Json.STREAMING_PROPERTY) == null) {
            System.setProperty(io.latchkey.protocol.Json.STREAMING_PROPERTY, "streaming");
        }
        // the unit's plain `run --config FILE` without picocli's model (RunCommand.plain); anything else through picocli
        java.util.Optional<RunCommand> run = RunCommand.plain(args);
        System.exit(run.isPresent() ? run.get().execute() : commandLine(Streams.system()).execute(args));
    }
}
