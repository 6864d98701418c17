package io.latchkey.agent.status;

import io.latchkey.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code status.json} under the data dir, replaced atomically so that a reader never sees half a file. */
public final class StatusFile {
    public static final String FILE_NAME = "status.json";

    private final Path file;
    private final Path tmp;

    public StatusFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
        this.tmp = dataDir.resolve(FILE_NAME + ".tmp");
    }

    public void write(AgentStatus status) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(tmp, Json.write(status));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Path path() {
        return file;
    }
}
