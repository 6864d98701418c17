package io.latchkey.provisioning.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that must be born with their final permissions: a private key or a token is created 0600
 * (directories 0700), never written first and restricted afterwards. On a file system without POSIX
 * permissions (a FAT boot partition) the files are written plainly; callers can ask
 * {@link #keepsPermissions} to warn about it.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private PrivateFiles() {
    }

    public static boolean keepsPermissions(Path existing) throws IOException {
        FileStore store = Files.getFileStore(existing);
        return store.supportsFileAttributeView(PosixFileAttributeView.class) && !store.type().toLowerCase().contains("fat");
    }

    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (keepsPermissions(parent)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
            Files.createDirectory(dir);
        }
    }

    /** Creates {@code file} with {@code content}, 0600 if {@code secret} else 0644, through a temporary file and a rename. */
    public static void writeAtomically(Path file, byte[] content, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = create(dir.resolve("." + file.getFileName() + ".tmp"), secret);
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates a new file with its final permissions; fails if it exists. */
    public static Path create(Path file, boolean secret) throws IOException {
        Files.deleteIfExists(file);
        if (keepsPermissions(file.toAbsolutePath().getParent())) {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(secret ? OWNER_ONLY : PUBLIC));
        }
        return Files.createFile(file);
    }
}
