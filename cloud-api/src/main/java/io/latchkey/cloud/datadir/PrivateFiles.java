package io.latchkey.cloud.datadir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Files and directories under the data directory are the service user's alone: directories 0700, files
 * 0600, given at creation (never a chmod after, which would leave a window). The process umask can only
 * narrow these further. On a file system without POSIX permissions the calls fall back to the defaults.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Like {@link Files#createDirectories}, every directory it creates is 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return Files.createDirectories(dir, directoryAttributes(dir));
    }

    /** The attributes that make a new file 0600 (none where POSIX permissions are not supported). */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Like {@link Files#write(Path, byte[], OpenOption...)}; a file it creates is 0600. */
    public static void write(Path file, byte[] bytes, OpenOption... options) throws IOException {
        Set<OpenOption> opts = new LinkedHashSet<>(Set.of(options));
        if (opts.isEmpty()) {
            opts.addAll(Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
        }
        opts.add(StandardOpenOption.WRITE);
        try (SeekableByteChannel channel = Files.newByteChannel(file, opts, fileAttributes(file))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /**
     * Takes group and other permissions away from {@code root} and everything under it (symbolic links
     * are not followed).
     *
     * @return how many files and directories were wider than 0700/0600 and were tightened
     */
    public static int tighten(Path root) throws IOException {
        if (!posix(root)) {
            return 0;
        }
        int[] tightened = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                tightenOne(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isDirectory()) {
                    tightenOne(file);
                }
                return FileVisitResult.CONTINUE;
            }

            private void tightenOne(Path p) throws IOException {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
                for (PosixFilePermission perm : perms) {
                    if (perm.name().startsWith("OWNER_")) {
                        owner.add(perm);
                    }
                }
                if (owner.size() != perms.size()) {
                    view.setPermissions(owner);
                    tightened[0]++;
                }
            }
        });
        return tightened[0];
    }

    private static FileAttribute<?>[] directoryAttributes(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
