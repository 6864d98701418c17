package io.latchkey.agent.cli;

import io.latchkey.hal.tools.CanDecodeTool;
import io.latchkey.hal.tools.NmeaDecodeTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code latchkey-agent decode nmea FILE|-} and {@code decode can --dbc F.dbc LOG|-}: the installers'
 * diagnostics, which run hal's decoders exactly as the agent does and print one JSON object per line.
 * Arguments are handed to hal's tools unchanged (they own their usage and exit codes).
 */
@Command(name = "decode", description = "Decodes a GPS (NMEA 0183) capture or a CAN (candump -l) log to JSON lines.",
        mixinStandardHelpOptions = true)
public final class DecodeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static Object nmea(Streams streams) {
        return new Nmea(streams);
    }

    public static Object can(Streams streams) {
        return new Can(streams);
    }

    /** Passes its arguments straight to one of hal's tools. */
    interface Tool {
        int run(String[] args, java.io.InputStream in, java.io.PrintStream out, java.io.PrintStream err);
    }

    abstract static class ToolCommand implements Callable<Integer> {
        private final Streams streams;
        private final Tool tool;

        @Parameters(arity = "0..*", paramLabel = "ARG")
        List<String> args = new ArrayList<>();

        ToolCommand(Streams streams, Tool tool) {
            this.streams = streams;
            this.tool = tool;
        }

        @Override
        public Integer call() {
            return tool.run(args.toArray(String[]::new), streams.in(), streams.out(), streams.err());
        }
    }

    @Command(name = "nmea", description = {"Prints one gpsd-style TPV object per receiver cycle.",
            "usage: decode nmea FILE|-   ('-' reads standard input)"})
    static final class Nmea extends ToolCommand {
        Nmea(Streams streams) {
            super(streams, NmeaDecodeTool::run);
        }
    }

    @Command(name = "can", description = {"Prints one object per frame decoded with a DBC file: time, id, message, signals, labels.",
            "usage: decode can --dbc FILE.dbc LOG|-   ('-' reads standard input)"})
    static final class Can extends ToolCommand {
        Can(Streams streams) {
            super(streams, CanDecodeTool::run);
        }
    }
}
