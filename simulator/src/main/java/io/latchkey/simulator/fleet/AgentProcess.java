package io.latchkey.simulator.fleet;

import io.latchkey.agent.Agent;
import io.latchkey.agent.journal.JournalStats;
import io.latchkey.agent.journal.JournalTelemetrySink;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.simulator.audit.ObservedConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of a car's agent, from start to graceful stop or kill: the agent, the threads it was given,
 * its (observed) broker connection and its telemetry journal. A new process on the same data directory
 * replaces it after a restart.
 */
final class AgentProcess {
    private final Agent agent;
    private final ProcessThreads threads;
    private final ObservedConnection connection;
    private final BrokerConnection innerConnection;
    private final JournalTelemetrySink journal;
    private volatile boolean stopped;
    private volatile Fleet.Launched launched;

    AgentProcess(Agent agent, ProcessThreads threads, ObservedConnection connection, BrokerConnection innerConnection,
                 JournalTelemetrySink journal) {
        this.agent = agent;
        this.threads = threads;
        this.connection = connection;
        this.innerConnection = innerConnection;
        this.journal = journal;
    }

    Fleet.Launched launched() {
        return launched;
    }

    void launched(Fleet.Launched how) {
        this.launched = how;
    }

    Agent agent() {
        return agent;
    }

    JournalStats journalStats() {
        return journal.stats();
    }

    boolean isKilled() {
        return threads.isKilled();
    }

    /** Neither killed nor stopped. */
    boolean isRunning() {
        return !stopped && !threads.isKilled();
    }

    /**
     * Power loss / {@code kill -9}: no goodbye, no journal flush, no state published. {@code socketCut}
     * completes once the network has dropped the car's TCP connection (so the broker sees it vanish
     * and publishes the last will); only then is the dead client stopped from reconnecting.
     */
    void kill(CompletableFuture<Void> socketCut) {
        connection.sever();
        threads.kill();
        try {
            socketCut.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Without a network to cut, the dead client simply goes quiet below.
        }
        innerConnection.close();
    }

    /** SIGTERM: the agent's own graceful shutdown. */
    void stop() {
        stopped = true;
        agent.close();
    }
}
