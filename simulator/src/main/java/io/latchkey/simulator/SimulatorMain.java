package io.latchkey.simulator;

import io.latchkey.simulator.cli.BenchCommand;
import io.latchkey.simulator.cli.BenchLiveCommand;
import io.latchkey.simulator.cli.BenchUnlockCommand;
import io.latchkey.simulator.cli.DemoCommand;
import io.latchkey.simulator.cli.RunCommand;
import io.latchkey.simulator.cli.ScenarioCommand;
import io.latchkey.simulator.fleet.FileHandleBudget;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code latchkey-sim demo | run | scenario | bench | bench-unlock}: simulated cars running the real agent against a backend. */
@Command(name = "latchkey-sim", mixinStandardHelpOptions = true, version = "latchkey-sim 0.1.0",
        description = "Latchkey simulator: virtual cars running the real device agent, virtual borrowers and operators.",
        subcommands = {DemoCommand.class, io.latchkey.simulator.cli.BatteryCommand.class, io.latchkey.simulator.cli.UndergroundCarParkCommand.class, io.latchkey.simulator.cli.RolloutCommand.class, RunCommand.class, ScenarioCommand.class, BenchCommand.class, BenchUnlockCommand.class, io.latchkey.simulator.cli.BenchRentalCommand.class, BenchLiveCommand.class})
public final class SimulatorMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SimulatorMain());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof FileHandleBudget.FleetTooLargeException) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
