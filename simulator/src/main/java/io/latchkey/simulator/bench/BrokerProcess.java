package io.latchkey.simulator.bench;

import io.latchkey.simulator.broker.BrokerControl;
import io.latchkey.simulator.broker.BrokerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The broker as a process of its own ({@link BrokerMain}, HiveMQ CE with file persistence), on a fixed
 * port: {@link #stop} kills it (SIGKILL, a crash) and {@link #start} boots a new one on the same data.
 */
final class BrokerProcess implements BrokerControl, AutoCloseable {
    private final int port;
    private final Path dir;
    private final Path log;
    private ChildProcess process;

    BrokerProcess(int port, Path dir, Path log) {
        this.port = port;
        this.dir = dir;
        this.log = log;
        start();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        process = ChildProcess.java("broker", System.getProperty("java.class.path"), List.of("-Xmx1g"),
                BrokerMain.class.getName(), List.of(Integer.toString(port), dir.toString(), System.getProperty("latchkey.bench.broker-persistence", "file")), Map.of(), log);
        process.awaitPort(port, Duration.ofSeconds(90));
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
