package io.latchkey.cloud.datadir;

import io.latchkey.cloud.LatchkeyCloudException;

/** Another process (or another application context in this one) already runs on the data directory. */
public class DataDirectoryLockedException extends LatchkeyCloudException {
    public DataDirectoryLockedException(String message) {
        super(message);
    }
}
