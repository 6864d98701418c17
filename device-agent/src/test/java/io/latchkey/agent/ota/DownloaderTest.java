package io.latchkey.agent.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.latchkey.agent.MutableClock;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle download against a real HTTP server: resume by Range, a bounded number of attempts, the daily byte budget. */
class DownloaderTest {
    static final int SIZE = 100_000;
    @TempDir
    Path tmp;
    HttpServer server;
    byte[] body;
    String sha;
    URI url;
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final AtomicInteger served = new AtomicInteger();
    /** Requests still to cut after this many bytes (-1: none). */
    volatile int cutAfter = -1;
    volatile int cutsLeft = 0;
    volatile int status = 0;
    final List<Duration> slept = new ArrayList<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        body = new byte[SIZE];
        new Random(7).nextBytes(body);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bundle.zip", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            if (status != 0) {
                ex.sendResponseHeaders(status, -1);
                ex.close();
                return;
            }
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            int length = SIZE - from;
            if (range != null) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE);
            }
            int n = length;
            if (cutsLeft > 0) {
                cutsLeft--;
                n = Math.min(length, cutAfter);
            }
            // a cut answer is chunked and ends early: the connection ends before the bundle does
            ex.sendResponseHeaders(range == null ? 200 : 206, n < length ? 0 : length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body, from, n);
                served.addAndGet(n);
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bundle.zip");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Downloader downloader(long perDay) {
        return new Downloader(Duration.ofSeconds(5), new DownloadBudget(tmp.resolve("budget"), perDay, clock),
                slept::add, 4, Duration.ofSeconds(10), Duration.ofSeconds(25));
    }

    @Test
    void aCutConnection_resumesWithARangeRequest_fetchingEachByteOnce() throws Exception {
        cutAfter = 30_000;
        cutsLeft = 2;
        Path done = downloader(10_000_000).download(url, SIZE, sha, tmp.resolve("b.zip"));
        assertThat(Files.readAllBytes(done)).isEqualTo(body);
        assertThat(ranges).containsExactly("null", "bytes=30000-", "bytes=60000-");
        assertThat(served.get()).isEqualTo(SIZE);
        assertThat(Downloader.partOf(tmp.resolve("b.zip"))).doesNotExist();
    }

    @Test
    void aRestartedAgent_resumesFromThePartFileItLeft() throws Exception {
        Files.write(Downloader.partOf(tmp.resolve("b.zip")), java.util.Arrays.copyOf(body, 12_345));
        downloader(10_000_000).download(url, SIZE, sha, tmp.resolve("b.zip"));
        assertThat(ranges).containsExactly("bytes=12345-");
        assertThat(served.get()).isEqualTo(SIZE - 12_345);
    }

    @Test
    void aServerThatKeepsFailing_isTriedABoundedNumberOfTimes_withGrowingWaits() {
        status = 503;
        assertThatThrownBy(() -> downloader(10_000_000).download(url, SIZE, sha, tmp.resolve("b.zip")))
                .isInstanceOf(DownloadException.class).hasMessageContaining("after 4 attempts").hasMessageContaining("HTTP 503")
                .satisfies(e -> assertThat(((DownloadException) e).deferred()).isFalse());
        assertThat(ranges).hasSize(4);
        assertThat(slept).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(25));
    }

    @Test
    void aMissingBundle_failsAtOnce() {
        status = 404;
        assertThatThrownBy(() -> downloader(10_000_000).download(url, SIZE, sha, tmp.resolve("b.zip")))
                .isInstanceOf(DownloadException.class).hasMessageContaining("HTTP 404");
        assertThat(ranges).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void theDailyBudget_defersTheRest_toTheNextDays_andIsNeverExceeded() throws Exception {
        Path target = tmp.resolve("b.zip");
        assertThatThrownBy(() -> downloader(40_000).download(url, SIZE, sha, target))
                .isInstanceOf(DownloadException.class).hasMessageStartingWith("BUDGET")
                .satisfies(e -> assertThat(((DownloadException) e).deferred()).isTrue());
        assertThat(Files.size(Downloader.partOf(target))).isEqualTo(40_000);
        // a restart the same day has no budget either (it is kept on disk)
        assertThatThrownBy(() -> downloader(40_000).download(url, SIZE, sha, target)).hasMessageStartingWith("BUDGET");
        assertThat(Files.size(Downloader.partOf(target))).isEqualTo(40_000);

        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> downloader(40_000).download(url, SIZE, sha, target)).hasMessageStartingWith("BUDGET");
        assertThat(Files.size(Downloader.partOf(target))).isEqualTo(80_000);
        clock.advance(Duration.ofDays(1));
        downloader(40_000).download(url, SIZE, sha, target);
        assertThat(Files.readAllBytes(target)).isEqualTo(body);
        assertThat(new DownloadBudget(tmp.resolve("budget"), 40_000, clock).usedToday()).isEqualTo(20_000);
    }

    @Test
    void bytesThatAreNotTheOfferedOnes_areDeleted_andFail() {
        assertThatThrownBy(() -> downloader(10_000_000).download(url, SIZE, "0".repeat(64), tmp.resolve("b.zip")))
                .isInstanceOf(DownloadException.class).hasMessageStartingWith("OFFER_MISMATCH");
        assertThat(Downloader.partOf(tmp.resolve("b.zip"))).doesNotExist();
        assertThat(tmp.resolve("b.zip")).doesNotExist();
    }
}
