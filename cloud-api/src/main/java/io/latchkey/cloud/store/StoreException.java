package io.latchkey.cloud.store;

import io.latchkey.cloud.LatchkeyCloudException;

/** The store could not read or write (I/O, corrupt data). */
public class StoreException extends LatchkeyCloudException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
