package io.latchkey.agent.cli;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.AgentConfigException;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.agent.status.StatusFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latchkey-agent status --config F}: prints the running agent's {@code status.json} (state,
 * connection, journal size, pending and evicted records, supply voltage, OBD-II counters). Reads the
 * file the agent refreshes every 10 s; never opens the journal itself, which the running agent owns.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Prints the agent's last status (status.json in its data dir).")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "agent config file")
    Path configFile;

    @Override
    public Integer call() {
        AgentConfig config;
        try {
            config = AgentConfigLoader.load(configFile);
        } catch (AgentConfigException e) {
            System.err.println("latchkey-agent status: bad configuration: " + e.getMessage());
            return 2;
        }
        Path file = new StatusFile(config.dataDir()).path();
        try {
            System.out.println(Files.readString(file));
            return 0;
        } catch (IOException e) {
            System.err.println("latchkey-agent status: no status at " + file + " (has the agent run?)");
            return 1;
        }
    }
}
