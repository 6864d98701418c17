package io.latchkey.agent.ota;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;

/**
 * Fetches a bundle into {@code target} (docs/ota.md §4): the bytes go to {@code target.part} and a new attempt, or a new
 * start of the agent, asks only for the rest ({@code Range: bytes=N-}); a server that answers 200 instead of 206 is
 * read from the start. Each attempt that fails (connection lost, 5xx, 408, 429) waits twice as long as the last, up to
 * a ceiling, and after {@code maxAttempts} the download fails: no endless loop. Another 4xx fails at once. Every byte is
 * charged to the {@link DownloadBudget}; when it is spent the download is deferred, not failed. The finished file must
 * have the offered size and SHA-256, or it is deleted and the download fails.
 */
public final class Downloader {
    /** Waits between attempts; the tests record instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Duration timeout;
    private final DownloadBudget budget;
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    /** @param timeout how long connecting, or waiting for the next bytes, may take before the attempt fails */
    public Downloader(Duration timeout, DownloadBudget budget, Sleeper sleeper, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The partial file a download resumes from. */
    public static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * @throws DownloadException deferred (budget spent) or failed (attempts spent, refused, wrong bytes)
     */
    public Path download(URI url, long size, String sha256, Path target) throws DownloadException, InterruptedException {
        Path part = partOf(target);
        Duration backoff = initialBackoff;
        String lastError = "no attempt";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
            long have = sizeOf(part);
            if (have > size) {
                deleteQuietly(part);
                have = 0;
            }
            if (have == size) {
                break;
            }
            if (budget.remaining() <= 0) {
                throw new DownloadException(true, "BUDGET: today's " + budget.usedToday() + " bytes are spent, " + have + " of " + size + " kept", null);
            }
            try {
                if (fetch(url, have, size, part)) {
                    break;
                }
                lastError = "connection ended early";
            } catch (Refused e) {
                throw new DownloadException(false, "DOWNLOAD: " + e.getMessage(), null);
            } catch (Retry e) {
                lastError = e.getMessage();
            } catch (IOException e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (BudgetSpent e) {
                throw new DownloadException(true, "BUDGET: today's bytes are spent, " + sizeOf(part) + " of " + size + " kept", null);
            }
        }
        long have = sizeOf(part);
        if (have != size) {
            throw new DownloadException(false, "DOWNLOAD: " + have + " of " + size + " bytes after " + maxAttempts + " attempts (" + lastError + ")", null);
        }
        try {
            String actual = UpdateBundle.sha256(part);
            if (!actual.equals(sha256)) {
                deleteQuietly(part);
                throw new DownloadException(false, "OFFER_MISMATCH: the bundle's SHA-256 is not the offered one", null);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DownloadException(false, "DOWNLOAD: " + e.getMessage(), e);
        }
        return target;
    }

    /** One request for the rest; true when the part file is complete. */
    private boolean fetch(URI url, long have, long size, Path part) throws IOException, Refused, Retry, BudgetSpent {
        HttpURLConnection http = (HttpURLConnection) url.toURL().openConnection();
        http.setConnectTimeout((int) timeout.toMillis());
        http.setReadTimeout((int) timeout.toMillis()); // a stalled connection fails the attempt instead of hanging it
        http.setInstanceFollowRedirects(true);
        if (have > 0) {
            http.setRequestProperty("Range", "bytes=" + have + "-");
        }
        try {
            int status = http.getResponseCode();
            boolean append;
            if (status == 206 && have > 0) {
                append = true;
            } else if (status == 200) {
                append = false;
            } else if (status == 416 && have > 0) {
                deleteQuietly(part); // the server's file changed: start over next time
                throw new Retry("HTTP 416");
            } else if (status >= 500 || status == 408 || status == 429) {
                throw new Retry("HTTP " + status);
            } else {
                throw new Refused("HTTP " + status + " for the bundle");
            }
            long written = append ? have : 0;
            try (InputStream in = http.getInputStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[16 * 1024];
                while (written < size) {
                    long allowed = budget.remaining();
                    if (allowed <= 0) {
                        throw new BudgetSpent();
                    }
                    int n = in.read(buf, 0, (int) Math.min(buf.length, Math.min(allowed, size - written)));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    written += n;
                    budget.charge(n);
                }
            }
            return written == size;
        } finally {
            http.disconnect();
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // next attempt truncates it
        }
    }

    private static final class Refused extends Exception {
        Refused(String m) {
            super(m);
        }
    }

    private static final class Retry extends Exception {
        Retry(String m) {
            super(m);
        }
    }

    private static final class BudgetSpent extends Exception {
    }
}
