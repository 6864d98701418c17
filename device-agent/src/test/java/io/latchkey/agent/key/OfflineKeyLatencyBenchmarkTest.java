package io.latchkey.agent.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.agent.MutableClock;
import io.latchkey.agent.TestCloud;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRight;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At the car: a presentation received to the relay energised, with the 0 ms simulated pulse, through the whole agent
 * (frame decoding, JSON, the tenant's Ed25519 and the holder's P-256 checks, the commands' queue and actuator). Opt-in,
 * as every benchmark here (docs/benchmarks.md "Offline keys"):
 * {@code ./mvnw -q -o -pl device-agent -am test -Dtest=OfflineKeyLatencyBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dlatchkey.bench=true}.
 * It prints the figures and asserts only that every presentation moved a relay.
 */
class OfflineKeyLatencyBenchmarkTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final int WARMUP = 200;
    static final int COUNT = Integer.getInteger("latchkey.bench.count", 1000);

    @TempDir
    Path dir;

    @Test
    void presentationToRelay_p50p99() throws Exception {
        assumeTrue(Boolean.getBoolean("latchkey.bench"), "opt-in: -Dlatchkey.bench=true");
        MutableClock systemClock = new MutableClock(T0);
        SimulatedCentralLocking wiring = new SimulatedCentralLocking(true, () -> false);
        LinkedBlockingQueue<Long> energised = new LinkedBlockingQueue<>();
        wiring.unlockRelay().onChange(on -> {
            if (on) {
                energised.add(System.nanoTime());
            }
        });
        wiring.lockRelay().onChange(on -> {
            if (on) {
                energised.add(System.nanoTime());
            }
        });
        try (KeyCar car = new KeyCar(dir, new TestCloud("acme", systemClock), systemClock, new AtomicLong(1), new FixedGnss(52.5, 13.4,
                systemClock), wiring)) {
            VirtualPhone phone = car.phone("key-00000000000000a1", Set.of(KeyRight.UNLOCK, KeyRight.LOCK), T0.minusSeconds(60),
                    T0.plusSeconds(7200), T0.minusSeconds(120));
            double[] ble = new double[COUNT];
            double[] bleWhole = new double[COUNT];
            for (int i = -WARMUP; i < COUNT; i++) {
                KeyRight action = i % 2 == 0 ? KeyRight.UNLOCK : KeyRight.LOCK;
                SimulatedBleKeyLink.Phone link = car.ble.connect();
                long hello = System.nanoTime();
                phone.hello(link, null);
                byte[] request = phone.key.request(phone.challenge, action);
                long received = System.nanoTime();
                link.send(request);
                long relay = relay(energised);
                KeyMessages.Result result = Json.read(link.receive(Duration.ofSeconds(5)), KeyMessages.Result.class);
                assertThat(result.outcome()).isEqualTo("EXECUTED");
                link.disconnect();
                if (i >= 0) {
                    ble[i] = (relay - received) / 1e6;
                    bleWhole[i] = (relay - hello) / 1e6;
                }
            }
            double[] qr = new double[COUNT];
            long counter = 1;
            for (int i = -WARMUP; i < COUNT; i++) {
                KeyRight action = i % 2 == 0 ? KeyRight.UNLOCK : KeyRight.LOCK;
                String code = phone.key.qr(action, counter++, T0);
                long scanned = System.nanoTime();
                car.scanner.show(code);
                long relay = relay(energised);
                if (i >= 0) {
                    qr[i] = (relay - scanned) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "offline keys, %d presentations each after %d warm-up, 0 ms pulse, load %s%n", COUNT, WARMUP,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.println("BLE request received -> relay energised: " + stats(ble));
            System.out.println("BLE hello sent -> relay energised (whole exchange): " + stats(bleWhole));
            System.out.println("QR scanned -> relay energised: " + stats(qr));
        }
    }

    private static long relay(LinkedBlockingQueue<Long> energised) throws InterruptedException {
        Long t = energised.poll(5, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no relay moved within 5 s");
        }
        return t;
    }

    static String stats(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms",
                s[(int) (s.length * 0.50)], s[(int) (s.length * 0.95)], s[Math.min(s.length - 1, (int) (s.length * 0.99))],
                s[s.length - 1], Arrays.stream(s).average().orElse(0));
    }
}
