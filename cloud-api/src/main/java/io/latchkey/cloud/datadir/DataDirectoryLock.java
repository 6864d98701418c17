package io.latchkey.cloud.datadir;

import io.latchkey.cloud.LatchkeyCloudException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

/**
 * An exclusive lock on {@code {data-dir}/.lock}, held for the life of the process: one backend per data
 * directory. The file holds who has it (pid, host, start time) so that a refused start can say so. The
 * operating system drops the lock when the holder ends, however it ends (kill -9 included); a stale file
 * is harmless. Nothing in this process may open the lock file: on POSIX systems closing any descriptor
 * of it drops the process's lock.
 */
public final class DataDirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = ".lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory (0700) if it is missing and locks it. A refused lock changes nothing in the
     * directory.
     *
     * @throws DataDirectoryLockedException if another process, or another holder in this one, has it
     * @throws LatchkeyCloudException if the directory or the lock file cannot be created
     */
    public static DataDirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            PrivateFiles.createDirectories(dir);
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ),
                    PrivateFiles.fileAttributes(file));
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new DataDirectoryLockedException("the data directory " + dir + " (latchkey.data-dir) is in use by another backend ("
                        + holder + "); one process per data directory: stop it or choose another latchkey.data-dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new DataDirectoryLock(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LatchkeyCloudException("cannot lock the data directory " + dir + " (latchkey.data-dir): " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Releases the lock; the file stays (the next holder overwrites it). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "holder unknown" : text;
    }

    private static String describeThisProcess() {
        ProcessHandle self = ProcessHandle.current();
        String started = self.info().startInstant().map(Instant::toString).orElse("unknown");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return "pid " + self.pid() + " on " + host + ", started " + started;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
