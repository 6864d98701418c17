package io.latchkey.provisioning.bundle;

import io.latchkey.provisioning.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The target of {@code provision --bundle DIR}: the bundle goes to {@code DIR/latchkey/}. It is
 * checked before anything is generated ({@link #checkUsable()}), and written all at once
 * ({@link #write}): the files go to a temporary directory beside it, which is renamed into place only
 * when complete. A failure leaves no {@code latchkey/} and no temporary directory.
 */
public final class BundleDirectory {
    public static final String BUNDLE_NAME = "latchkey";
    private static final String TEMP_PREFIX = ".latchkey-bundle-";

    private final Path dir;
    private final boolean replace;

    public BundleDirectory(Path dir, boolean replace) {
        this.dir = dir.toAbsolutePath().normalize();
        this.replace = replace;
    }

    public Path bundle() {
        return dir.resolve(BUNDLE_NAME);
    }

    /** Whether the files will keep their 0600/0644 permissions (not on a FAT boot partition). */
    public boolean keepsPermissions() {
        try {
            return PrivateFiles.keepsPermissions(dir);
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails, saying what to do, unless a bundle can be written here. Writes and removes a probe file. */
    public void checkUsable() {
        if (!Files.exists(dir)) {
            throw new BundleException(dir + " does not exist",
                    "mount the device's SD card (boot partition) or create the directory, then run the same command again");
        }
        if (!Files.isDirectory(dir)) {
            throw new BundleException(dir + " is not a directory", "give --bundle the directory the bundle should go into");
        }
        if (Files.exists(bundle()) && !replace) {
            throw new BundleException(bundle() + " already holds a device bundle",
                    "move it away, use another --bundle directory, or add --replace to overwrite it (the old device key is kept as a backup)");
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".latchkey-probe-", ".tmp");
        } catch (IOException | UnsupportedOperationException e) {
            throw new BundleException(dir + " is not writable: " + e.getMessage(),
                    "check that the SD card is mounted read-write and that you may write to " + dir + " (or use sudo), then run the same command again", e);
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // The probe is empty and hidden; leaving it behind harms nothing.
                }
            }
        }
    }

    /** Writes all files, or none. Returns the bundle directory. */
    public Path write(List<BundleFile> files) {
        Path temp;
        try {
            temp = Files.createTempDirectory(dir, TEMP_PREFIX, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY_DIR));
        } catch (UnsupportedOperationException e) {
            temp = createPlainTemp();
        } catch (IOException e) {
            throw new BundleException("cannot create a temporary directory in " + dir + ": " + e.getMessage(),
                    "check that " + dir + " is writable and not full", e);
        }
        try {
            for (BundleFile file : files) {
                Path target = temp.resolve(file.name());
                PrivateFiles.create(target, file.secret());
                Files.write(target, file.content());
            }
            moveIntoPlace(temp);
            return bundle();
        } catch (IOException | RuntimeException e) {
            deleteRecursively(temp);
            throw new BundleException("writing the bundle to " + bundle() + " failed, nothing was written: " + e.getMessage(),
                    "check free space and that " + dir + " is writable", e);
        }
    }

    private Path createPlainTemp() {
        try {
            return Files.createTempDirectory(dir, TEMP_PREFIX);
        } catch (IOException e) {
            throw new BundleException("cannot create a temporary directory in " + dir + ": " + e.getMessage(),
                    "check that " + dir + " is writable and not full", e);
        }
    }

    private void moveIntoPlace(Path temp) throws IOException {
        Path backup = null;
        if (Files.exists(bundle())) {
            backup = dir.resolve(BUNDLE_NAME + ".replaced-" + System.currentTimeMillis());
            Files.move(bundle(), backup, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(temp, bundle(), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            if (backup != null) {
                Files.move(backup, bundle(), StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: the caller is already reporting the original failure.
                }
            });
        } catch (IOException ignored) {
            // Same.
        }
    }
}
