package io.latchkey.hal.gnss.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.gnss.nmea.NmeaGnss;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialNmeaReaderTest {
    private static String sentence(String body) {
        int sum = 0;
        for (char c : body.toCharArray()) {
            sum ^= c;
        }
        return "$" + body + String.format("*%02X", sum) + "\r\n";
    }

    private static final String CYCLE = sentence("GPRMC,120000.00,A,5231.2000,N,01324.3000,E,0.0,0.0,231126,,,A")
            + sentence("GPGGA,120000.00,5231.2000,N,01324.3000,E,1,08,0.9,35.0,M,45.0,M,,");

    @Test
    void linesFromThePort_reachNmeaGnss_asFixes() throws IOException {
        NmeaGnss gnss = new NmeaGnss();
        SerialNmeaReader reader = new SerialNmeaReader("/dev/ttyTEST",
                () -> new ByteArrayInputStream(CYCLE.getBytes(StandardCharsets.US_ASCII)), gnss,
                Duration.ZERO, Duration.ZERO, d -> { });

        reader.readOnce();

        GnssFix fix = gnss.latest().orElseThrow();
        assertThat(fix.lat()).isCloseTo(52.52, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fix.mode()).isEqualTo(GnssFix.MODE_3D);
    }

    @Test
    void aReceiverThatFailsToOpen_isRetriedWithGrowingPauses_untilItWorks() {
        NmeaGnss gnss = new NmeaGnss();
        AtomicInteger attempts = new AtomicInteger();
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        SerialNmeaReader.PortOpener flaky = () -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IOException("no such port");
            }
            return new ByteArrayInputStream(CYCLE.getBytes(StandardCharsets.US_ASCII));
        };
        SerialNmeaReader reader = new SerialNmeaReader("/dev/ttyTEST", flaky, gnss, Duration.ofMillis(1),
                Duration.ofMillis(3), pauses::add);

        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> gnss.latest().isPresent());
        reader.close();

        assertThat(List.copyOf(pauses).subList(0, 3)).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3));
    }

    @Test
    void garbageFromThePort_isCounted_notThrown() throws IOException {
        NmeaGnss gnss = new NmeaGnss();
        InputStream noise = new ByteArrayInputStream("\u0000\u00ff$GPRMC,broken*00\r\nhello\r\n".getBytes(StandardCharsets.ISO_8859_1));
        new SerialNmeaReader("/dev/ttyTEST", () -> noise, gnss, Duration.ZERO, Duration.ZERO, d -> { }).readOnce();

        assertThat(gnss.rejectedLines()).isPositive();
        assertThat(gnss.latest()).isEmpty();
    }
}
