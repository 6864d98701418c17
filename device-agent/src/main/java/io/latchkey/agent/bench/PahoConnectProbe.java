package io.latchkey.agent.bench;

import java.lang.management.ManagementFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * The reference for the agent's start-up (docs/benchmarks-agent.md): the least a JVM with Paho does to be connected. It
 * connects one client to the broker and prints the time from JVM start to CONNACK, then exits. Run right before each
 * {@link StartupProbe}, it sees the same background load, so that the ratio of the two says how much the agent adds
 * whatever else the machine is doing:
 *
 * <pre>
 * java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '...' io.latchkey.agent.bench.PahoConnectProbe tcp://127.0.0.1:18830
 * </pre>
 */
public final class PahoConnectProbe {
    private PahoConnectProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        MqttAsyncClient client = new MqttAsyncClient(args.length > 0 ? args[0] : "tcp://127.0.0.1:1883", "bench-reference",
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(30_000);
        System.out.printf("connected: %d ms after JVM start%n", System.currentTimeMillis() - jvmStartMs);
        client.disconnect().waitForCompletion(5_000);
        client.close();
        System.exit(0);
    }
}
