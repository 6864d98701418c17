package io.latchkey.cloud.backup;

import io.latchkey.cloud.LatchkeyCloudException;

/** A backup cannot be taken, or a backup is refused for restore (incomplete, altered, target not empty). */
public class BackupException extends LatchkeyCloudException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
