package io.latchkey.agent.bench;

import io.latchkey.agent.Agent;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.hal.assembly.Hardware;
import io.latchkey.hal.assembly.HardwareConfig;
import io.latchkey.hal.assembly.HardwareFactory;
import io.latchkey.agent.journal.JournalStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Start-up and memory of the real agent (simulated hardware, real journal, real MQTT client) against
 * a running broker. Prints the time from JVM start and from {@code main} to the first MQTT connection,
 * then publishes telemetry for a while and prints the peak resident memory (VmHWM/VmRSS from
 * {@code /proc/self/status}). Not a test; run it with the Pi's JVM flags:
 *
 * <pre>
 * java -Xms8m -Xmn2m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -Dlatchkey.agent.logging=builtin \
 *      -cp 'device-agent/target/device-agent-0.1.0-SNAPSHOT.jar:device-agent/target/lib/*' \
 *      io.latchkey.agent.bench.StartupProbe tcp://127.0.0.1:18830 [seconds=60] [interval-ms=100] [paho|hivemq] [unlocks=0]
 * </pre>
 * The last argument is {@code mqtt.client} (default: the agent's default); {@code device-agent/src/bench/mqtt-clients.sh}
 * runs it for both with a class path holding only that client's jars, as the package would.
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainMs = System.currentTimeMillis();
        io.latchkey.agent.StartupTrace.mark("main");
        if (System.getProperty(io.latchkey.protocol.Json.STREAMING_PROPERTY) == null) {
            System.setProperty(io.latchkey.protocol.Json.STREAMING_PROPERTY, "streaming");   // as AgentMain
        }
        String broker = args.length > 0 ? args[0] : "tcp://127.0.0.1:1883";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        long intervalMs = args.length > 2 ? Long.parseLong(args[2]) : 100;
        io.latchkey.agent.mqtt.MqttClientKind client = args.length > 3 ? io.latchkey.agent.mqtt.MqttClientKind.parse(args[3])
                : io.latchkey.agent.mqtt.MqttClientKind.DEFAULT;

        Path dataDir = Files.createTempDirectory("startup-probe-");
        java.security.KeyPair commandKeys = io.latchkey.protocol.Keys.newCommandKeyPair();
        String key = io.latchkey.protocol.Keys.encodePublic(commandKeys.getPublic());
        int unlocks = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        AgentConfig config = AgentConfig.builder().tenant("bench").deviceId("probe-1").mqttUrl(broker)
                .commandKey("cmd-1", key).dataDir(dataDir).deviceKey(deviceKey())
                .movingInterval(Duration.ofMillis(intervalMs)).parkedInterval(Duration.ofMillis(intervalMs))
                .reconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(5)).mqttClient(client).build();
        io.latchkey.agent.StartupTrace.mark("config");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Clock clock = Clock.systemUTC();
        Hardware hw = new HardwareFactory(clock, () -> {
            throw new IllegalStateException("no GPIO in the probe");
        }).create(HardwareConfig.allSimulated());
        io.latchkey.agent.StartupTrace.mark("hardware");
        Agent agent = Agent.builder(config).hardware(hw).clock(clock).scheduler(scheduler).build();
        io.latchkey.agent.StartupTrace.mark("built");
        agent.start();
        agent.firstConnection().get(30, TimeUnit.SECONDS);
        long connectedMs = System.currentTimeMillis();
        System.out.printf("client: %s%n", client.configValue());
        System.out.printf("connected: %d ms after JVM start, %d ms after main (%.0f ms agent build+connect)%n",
                connectedMs - jvmStartMs, connectedMs - mainMs, (System.nanoTime() - mainNanos) / 1e6);
        System.out.printf("rss after connect: %s%n", rss());
        long peakRssKb = 0;
        for (int s = 1; s <= seconds; s++) {
            Thread.sleep(1000);
            peakRssKb = Math.max(peakRssKb, kb("VmRSS"));
            if (s % 10 == 0 || s == seconds) {
                JournalStats j = agent.status().journal();
                System.out.printf("t=%ds records=%d pending=%d %s heapUsed=%dMB%n", s, j.lastSeq(), j.pendingRecords(), rss(),
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            }
        }
        System.out.printf("peak VmRSS while publishing: %.1f MB (VmHWM %.1f MB)%n", peakRssKb / 1024.0, kb("VmHWM") / 1024.0);
        if (unlocks > 0) {
            unlockRoundTrips(broker, commandKeys.getPrivate(), unlocks);
        }
        agent.close();
        scheduler.shutdownNow();
        System.exit(0);
    }

    /**
     * The command path under the same JVM flags, after the memory was sampled: a second MQTT client (the "cloud", in this
     * JVM, so only after the RSS figure) sends signed UNLOCK and LOCK commands one at a time to the agent and times each
     * from publishing the command to receiving the agent's signed answer (broker, verification, simulated locks with their
     * feedback, journal, answer). Prints the median, 90th percentile and maximum.
     */
    private static void unlockRoundTrips(String broker, java.security.PrivateKey commandKey, int n) throws Exception {
        io.latchkey.protocol.command.CommandSigner signer = new io.latchkey.protocol.command.CommandSigner(commandKey, "cmd-1");
        java.util.Map<String, java.util.concurrent.CompletableFuture<io.latchkey.protocol.command.CommandAck>> waiting =
                new java.util.concurrent.ConcurrentHashMap<>();
        org.eclipse.paho.mqttv5.client.MqttClient cloud = new org.eclipse.paho.mqttv5.client.MqttClient(broker, "bench-cloud",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        cloud.connect();
        String ackTopic = io.latchkey.protocol.Topic.of("bench", "probe-1", io.latchkey.protocol.Channel.ACK).name();
        String cmdTopic = io.latchkey.protocol.Topic.of("bench", "probe-1", io.latchkey.protocol.Channel.CMD).name();
        cloud.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {new org.eclipse.paho.mqttv5.common.MqttSubscription(ackTopic, 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> {
                    io.latchkey.protocol.command.CommandAck ack = io.latchkey.protocol.command.SignedAck.readUnverified(message.getPayload());
                    var f = waiting.remove(ack.commandId());
                    if (f != null) {
                        f.complete(ack);
                    }
                }});
        long[] micros = new long[n];
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            io.latchkey.protocol.command.CommandType type = i % 2 == 0 ? io.latchkey.protocol.command.CommandType.UNLOCK
                    : io.latchkey.protocol.command.CommandType.LOCK;
            java.time.Instant now = java.time.Instant.now();
            io.latchkey.protocol.command.Command command = new io.latchkey.protocol.command.Command(java.util.UUID.randomUUID().toString(),
                    "bench", "probe-1", type, now, now.plusSeconds(10), "user-1");
            var answer = new java.util.concurrent.CompletableFuture<io.latchkey.protocol.command.CommandAck>();
            waiting.put(command.id(), answer);
            long t0 = System.nanoTime();
            cloud.publish(cmdTopic, io.latchkey.protocol.Json.write(signer.sign(command)), 1, false);
            io.latchkey.protocol.command.CommandAck ack = answer.get(10, TimeUnit.SECONDS);
            micros[i] = (System.nanoTime() - t0) / 1000;
            outcomes.merge(type + "=" + ack.outcome(), 1, Integer::sum);
            Thread.sleep(200);
        }
        cloud.disconnect();
        cloud.close();
        long[] sorted = micros.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("unlock round trips: n=%d median %.1f ms p90 %.1f ms max %.1f ms %s%n", n, sorted[n / 2] / 1000.0,
                sorted[Math.min(n - 1, (int) Math.ceil(n * 0.9) - 1)] / 1000.0, sorted[n - 1] / 1000.0, outcomes);
    }

    private static String rss() throws IOException {
        return String.format("VmRSS=%.1fMB VmHWM=%.1fMB", kb("VmRSS") / 1024.0, kb("VmHWM") / 1024.0);
    }

    private static long kb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** A throw-away device key: the probe's broker is a plain test broker that checks no connect token. */
    private static java.security.PrivateKey deviceKey() throws java.security.GeneralSecurityException {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair().getPrivate();
    }
}
