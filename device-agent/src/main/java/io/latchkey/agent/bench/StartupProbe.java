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
import java.util.Base64;
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
 * java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k \
 *      -cp 'device-agent/target/device-agent-0.1.0-SNAPSHOT.jar:device-agent/target/lib/*' \
 *      io.latchkey.agent.bench.StartupProbe tcp://127.0.0.1:18830 [seconds=60] [interval-ms=100] [paho|hivemq]
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
        String broker = args.length > 0 ? args[0] : "tcp://127.0.0.1:1883";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        long intervalMs = args.length > 2 ? Long.parseLong(args[2]) : 100;
        io.latchkey.agent.mqtt.MqttClientKind client = args.length > 3 ? io.latchkey.agent.mqtt.MqttClientKind.parse(args[3])
                : io.latchkey.agent.mqtt.MqttClientKind.DEFAULT;

        Path dataDir = Files.createTempDirectory("startup-probe-");
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("Ed25519");
        String key = Base64.getEncoder().encodeToString(kpg.generateKeyPair().getPublic().getEncoded());
        AgentConfig config = AgentConfig.builder().tenant("bench").deviceId("probe-1").mqttUrl(broker)
                .commandKey("cmd-1", key).dataDir(dataDir).deviceKey(deviceKey())
                .movingInterval(Duration.ofMillis(intervalMs)).parkedInterval(Duration.ofMillis(intervalMs))
                .reconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(5)).mqttClient(client).build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Clock clock = Clock.systemUTC();
        Hardware hw = new HardwareFactory(clock, () -> {
            throw new IllegalStateException("no GPIO in the probe");
        }).create(HardwareConfig.allSimulated());
        Agent agent = Agent.builder(config).hardware(hw).clock(clock).scheduler(scheduler).build();
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
        agent.close();
        scheduler.shutdownNow();
        System.exit(0);
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
