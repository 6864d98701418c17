package io.latchkey.agent.ota;

import io.latchkey.agent.AgentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The A/B slots of the agent's releases under the OTA folder (docs/ota.md §5), the Java half of what
 * {@code latchkey-agent-launch} reads:
 * <pre>
 * slots/a, slots/b     a release each (device-agent.jar, lib/, VERSION)
 * current -> slots/a   the release last marked good (absent: the .deb's own, in /opt/latchkey)
 * trial   -> slots/b   a release installed and not yet marked good; the launcher counts its starts in trial.boots
 * pending              the rollout being installed (rolloutId, version, the version it replaces)
 * rolled-back          why the last trial was abandoned (by the launcher or the agent)
 * </pre>
 * Each change is a rename of a symlink or a file written aside and renamed over, each made durable (the folder
 * fsynced) before the next, so a power cut at any moment leaves either the state before or the state after.
 * {@link Step} lets the tests cut the power before any step.
 */
public final class Slots {
    public static final String CURRENT = "current";
    public static final String TRIAL = "trial";
    public static final String BOOTS = "trial.boots";
    /** How often systemd's watchdog killed the release on trial (written by the launcher's {@code --stopped}). */
    public static final String WATCHDOG_KILLS = "trial.watchdog";
    public static final String PENDING = "pending";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String VERSION = "VERSION";

    /** Called before each change on disk, with its name; the tests throw from it to cut the power there. */
    @FunctionalInterface
    public interface Step {
        Step NONE = name -> {
        };

        void before(String name);
    }

    /** What is being installed, kept across the restart so the new (or the old) agent can report it. */
    public record Pending(String rolloutId, String version, String from) {
        String text() {
            return rolloutId + "\n" + version + "\n" + from + "\n";
        }

        static Optional<Pending> parse(String text) {
            String[] lines = text.split("\n");
            return lines.length >= 3 ? Optional.of(new Pending(lines[0], lines[1], lines[2])) : Optional.empty();
        }
    }

    private final Path root;
    private final Step step;

    public Slots(Path root, Step step) {
        this.root = Objects.requireNonNull(root, "root");
        this.step = Objects.requireNonNull(step, "step");
    }

    public Slots(Path root) {
        this(root, Step.NONE);
    }

    public Path root() {
        return root;
    }

    /** The slot {@code current} points to, if any. */
    public Optional<Path> current() {
        return target(CURRENT);
    }

    /** The slot on trial, if any. */
    public Optional<Path> trial() {
        return target(TRIAL);
    }

    /**
     * The slot to install into: neither the one marked good nor the one this agent runs from ({@code running}, its real
     * path; null for the factory install).
     */
    public Path inactive(Path running) {
        Path a = root.resolve("slots/a");
        Path b = root.resolve("slots/b");
        Path current = current().orElse(null);
        Path busy = running == null ? null : real(running);
        return (same(a, current) || same(a, busy)) ? b : a;
    }

    /**
     * Installs {@code files} (a function writing a release into an empty folder) into the inactive slot and puts it
     * on trial: the launcher starts it at the next start. Before the last rename a power cut leaves the running
     * release active; the half-written slot is emptied by the next install.
     *
     * @throws AgentException a release is on trial already, or the disk failed
     */
    public Path install(Pending pending, Path running, ReleaseWriter files) {
        if (trial().isPresent()) {
            throw new AgentException("a release is on trial already: mark it good or roll it back first");
        }
        Path slot = inactive(running);
        try {
            write(PENDING, pending.text());
            delete(ROLLED_BACK);
            step.before("empty-slot");
            deleteTree(slot);
            Files.createDirectories(slot);
            step.before("write-files");
            files.writeTo(slot, step);
            step.before("write-version");
            writeDurably(slot.resolve(VERSION), pending.version() + "\n");
            syncDir(slot);
            delete(BOOTS);
            delete(WATCHDOG_KILLS);
            Path link = root.resolve(TRIAL + ".new");
            step.before("link-trial");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, root.relativize(slot));
            step.before("commit-trial");
            Files.move(link, root.resolve(TRIAL), StandardCopyOption.ATOMIC_MOVE);
            syncDir(root);
            return slot;
        } catch (IOException e) {
            throw new AgentException("cannot install into " + slot + ": " + e.getMessage(), e);
        }
    }

    /** The release on trial is good: it becomes {@code current} in one rename. Nothing happens without a trial. */
    public boolean markGood() {
        if (!Files.isSymbolicLink(root.resolve(TRIAL))) {
            return false;
        }
        try {
            step.before("commit-current");
            Files.move(root.resolve(TRIAL), root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
            syncDir(root);
            delete(BOOTS);
            delete(WATCHDOG_KILLS);
            return true;
        } catch (IOException e) {
            throw new AgentException("cannot mark the release good: " + e.getMessage(), e);
        }
    }

    /** Abandons the trial (the previous release starts next), saying why. */
    public void rollBack(String reason) {
        try {
            write(ROLLED_BACK, reason);
            step.before("drop-trial");
            Files.deleteIfExists(root.resolve(TRIAL));
            syncDir(root);
            delete(BOOTS);
            delete(WATCHDOG_KILLS);
        } catch (IOException e) {
            throw new AgentException("cannot roll back: " + e.getMessage(), e);
        }
    }

    public Optional<Pending> pending() {
        return read(PENDING).flatMap(Pending::parse);
    }

    public Optional<String> rolledBack() {
        return read(ROLLED_BACK).map(String::strip);
    }

    /** Forgets the pending rollout and the rollback reason once reported. */
    public void clearReport() {
        try {
            delete(PENDING);
            delete(ROLLED_BACK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version in a slot's VERSION file. */
    public static Optional<String> versionOf(Path slot) {
        try {
            return Optional.of(Files.readString(slot.resolve(VERSION)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes a release's files into an empty slot folder. */
    @FunctionalInterface
    public interface ReleaseWriter {
        void writeTo(Path slot, Step step) throws IOException;
    }

    private Optional<Path> target(String name) {
        Path link = root.resolve(name);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(root.resolve(Files.readSymbolicLink(link)).normalize());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<String> read(String name) {
        try {
            return Optional.of(Files.readString(root.resolve(name)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void write(String name, String text) throws IOException {
        Files.createDirectories(root);
        Path tmp = root.resolve(name + ".tmp");
        step.before("write-" + name);
        writeDurably(tmp, text);
        step.before("commit-" + name);
        Files.move(tmp, root.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir(root);
    }

    private void delete(String name) throws IOException {
        step.before("delete-" + name);
        if (Files.deleteIfExists(root.resolve(name))) {
            syncDir(root);
        }
    }

    static void writeDurably(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }

    static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a folder; the rename is still atomic
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static boolean same(Path a, Path b) {
        return b != null && real(a).equals(real(b));
    }
}
