package io.latchkey.cloud.store.azure;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.time.Duration;

/**
 * A real Azurite blob service (npm {@code azurite}, pinned by {@code src/test/azurite/package-lock.json}) on a
 * free loopback port, in memory, with one storage account per name and a random key each
 * ({@code AZURITE_ACCOUNTS}).
 *
 * <p>Azurite is installed with {@code npm ci} into {@code ~/.cache/latchkey/azurite-<lock digest>} (or
 * {@code $LATCHKEY_AZURITE_DIR}) the first time it is needed. Without {@code node} and {@code npm} on the
 * PATH the calling test is skipped through a JUnit assumption saying so; a failed install or start fails it.
 */
public final class AzuriteServer implements AutoCloseable {
    private static final Path PACKAGE_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "azurite");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Map<String, String> keys;
    private final Path workDir;

    private AzuriteServer(Process process, int port, Map<String, String> keys, Path workDir) {
        this.process = process;
        this.port = port;
        this.keys = keys;
        this.workDir = workDir;
    }

    /** Starts Azurite with these accounts, or skips the test if Node.js is not installed. */
    public static AzuriteServer start(String... accounts) {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"),
                "Azurite tests skipped: node and npm are not on the PATH (install Node.js 20+; .ci/run does)");
        Path bin = install();
        Map<String, String> keys = new LinkedHashMap<>();
        SecureRandom random = new SecureRandom();
        for (String account : accounts) {
            byte[] key = new byte[64];
            random.nextBytes(key);
            keys.put(account, Base64.getEncoder().encodeToString(key));
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(bin, keys);
            } catch (IOException e) {
                last = e; // most likely the free port was taken in between: try another
            }
        }
        throw new IllegalStateException("Azurite did not start", last);
    }

    public String connectionString(String account) {
        return "DefaultEndpointsProtocol=http;AccountName=" + account + ";AccountKey=" + key(account)
                + ";BlobEndpoint=" + endpoint(account) + ";";
    }

    /** The account's blob endpoint, path-style as Azurite serves it: {@code http://127.0.0.1:port/account}. */
    public String endpoint(String account) {
        key(account);
        return "http://127.0.0.1:" + port + "/" + account;
    }

    public String key(String account) {
        String key = keys.get(account);
        if (key == null) {
            throw new IllegalArgumentException("no Azurite account " + account + "; started with " + keys.keySet());
        }
        return key;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(workDir);
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private static AzuriteServer launch(Path bin, Map<String, String> keys) throws IOException {
        int port = freePort();
        Path workDir = Files.createTempDirectory("azurite");
        ProcessBuilder builder = new ProcessBuilder(List.of(bin.toString(),
                "--inMemoryPersistence", "--extentMemoryLimit", "256", "--skipApiVersionCheck", "--disableTelemetry",
                "--silent", "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port)))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("azurite.log").toFile());
        builder.environment().put("AZURITE_ACCOUNTS", keys.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(";")));
        Process process = builder.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Azurite exited with " + process.exitValue() + ": " + log(workDir));
            }
            if (listening(port)) {
                return new AzuriteServer(process, port, keys, workDir);
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Azurite did not listen on port " + port + " within " + START_TIMEOUT + ": " + log(workDir));
    }

    /** {@code npm ci} into a cache directory named by the lock file's digest, once; later runs reuse it. */
    private static synchronized Path install() {
        try {
            byte[] lock = Files.readAllBytes(PACKAGE_DIR.resolve("package-lock.json"));
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock), 0, 6);
            String configured = System.getenv("LATCHKEY_AZURITE_DIR");
            Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
                    : Path.of(System.getProperty("user.home"), ".cache", "latchkey", "azurite-" + digest);
            Path bin = dir.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
            if (Files.isExecutable(bin)) {
                return bin;
            }
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (!Files.isExecutable(bin)) {
                    Files.copy(PACKAGE_DIR.resolve("package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
                    Files.copy(PACKAGE_DIR.resolve("package-lock.json"), dir.resolve("package-lock.json"), StandardCopyOption.REPLACE_EXISTING);
                    npmCi(dir);
                }
            }
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install Azurite", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void npmCi(Path dir) throws IOException {
        Path log = dir.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!npm.waitFor(10, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IOException("npm ci of Azurite took more than 10 minutes");
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted installing Azurite", e);
        }
        if (npm.exitValue() != 0) {
            throw new IOException("npm ci of Azurite failed (" + npm.exitValue() + ") in " + dir + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String log(Path workDir) {
        try {
            return Files.readString(workDir.resolve("azurite.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for Azurite", e);
        }
    }
}
