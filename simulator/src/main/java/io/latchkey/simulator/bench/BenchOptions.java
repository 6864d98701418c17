package io.latchkey.simulator.bench;

import java.nio.file.Path;

/**
 * What {@code sim bench} runs.
 *
 * @param cloudApiTarget  cloud-api's build output (jar and lib/), the backend started as a child process
 * @param workDir         broker and backend data, agents' data, logs
 * @param cars            fleet size for the unlock, reconnect-storm and ingestion phases
 * @param commandsPerSecond the command load during the unlock phase
 * @param unlockSeconds   how long the unlock phase runs
 * @param parkedSeconds   telemetry interval of a parked car (the unlock phase's background load)
 * @param batchSize       the agents' telemetry.batch-size
 * @param unlockOnly      stop after the unlock phase (repeated measurements of the unlock tail)
 * @param stormDowntimeSeconds broker downtime before the reconnect storm
 * @param backlogSeconds  broker downtime while every car drives (the ingestion backlog)
 * @param faultCars       cars in the loss/duplication-under-faults scenario (0 skips it)
 * @param faultSeconds    its duration
 * @param backendHeap     the backend's -Xmx
 * @param backendJvmOptions more options for the backend's JVM (as JAVA_OPTS for {@code ./latchkey server}), e.g. a collector
 * @param replicas        cloud-api processes (behind HAProxy when more than one; they need {@code store} AZURITE)
 * @param broker          HiveMQ CE in a process of its own, or Mosquitto configured by broker-export
 * @param store           the backend's files, or Azurite
 * @param fleetProcesses  child JVMs the cars are split over (0: the cars run in the bench's JVM)
 * @param fleetHeap       -Xmx of each of those
 * @param crashSeconds    length of the replica crash phase (with more than one replica; 0 skips it)
 * @param skipIngestion   stop after the reconnect storm (no ingestion, backlog, audit, capacity phases)
 * @param receiptTimeout  the agents' telemetry.receipt-timeout (null: the agent's default, 10 s)
 * @param capacityOnly    only the reference pair and the ingestion capacity (light senders, no agents): the
 *                        1-vs-N-replica comparison
 * @param tenants         tenants the cars are split over evenly, each with its own storage account (with Azurite on an
 *                        Azurite process of its own) and its own Mosquitto listener
 * @param capacitySeconds length of the ingestion capacity phase (its second half, after the JIT has compiled the
 *                        hot paths, is what the target is judged on)
 * @param storeAccounts   with {@code store} AZURITE: storage accounts from outside the bench by {@code platform} or
 *                        tenant id (connection strings, {@code --store-accounts}); the others get an Azurite process
 */
public record BenchOptions(Path cloudApiTarget, Path workDir, int cars, double commandsPerSecond, int unlockSeconds,
                           int parkedSeconds, int batchSize, boolean unlockOnly,
                           int stormDowntimeSeconds, int backlogSeconds, int faultCars, int faultSeconds, String backendHeap,
                           long seed, java.util.List<String> backendJvmOptions, int replicas, Deployment.Broker broker,
                           Deployment.Store store, int fleetProcesses, String fleetHeap, int crashSeconds,
                           boolean skipIngestion, boolean capacityOnly,
                           java.time.Duration receiptTimeout, int tenants, int capacitySeconds,
                           java.util.Map<String, String> storeAccounts) {
    public BenchOptions {
        backendJvmOptions = java.util.List.copyOf(backendJvmOptions);
        storeAccounts = java.util.Map.copyOf(storeAccounts);
        if (tenants < 1) {
            throw new IllegalArgumentException("--tenants must be at least 1, got " + tenants);
        }
        if (capacitySeconds < 10) {
            throw new IllegalArgumentException("--capacity-seconds must be at least 10, got " + capacitySeconds);
        }
        if (cars < tenants) {
            throw new IllegalArgumentException("--cars " + cars + " cannot be split over --tenants " + tenants);
        }
        Deployment.checkStoreAccounts(store, FleetBench.tenants(tenants), storeAccounts);
    }

    /** The same options with this work directory. */
    public BenchOptions withWorkDir(Path dir) {
        return new BenchOptions(cloudApiTarget, dir, cars, commandsPerSecond, unlockSeconds, parkedSeconds, batchSize, unlockOnly,
                stormDowntimeSeconds, backlogSeconds, faultCars, faultSeconds, backendHeap, seed, backendJvmOptions, replicas, broker,
                store, fleetProcesses, fleetHeap, crashSeconds, skipIngestion, capacityOnly, receiptTimeout, tenants, capacitySeconds,
                storeAccounts);
    }
}
