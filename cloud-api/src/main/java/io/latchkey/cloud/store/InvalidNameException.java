package io.latchkey.cloud.store;

import io.latchkey.cloud.InvalidRequestException;

/**
 * A collection, stream or document name that the store refuses to turn into a file or blob name (it
 * could escape its collection, or is not a name at all). Nothing can be stored under it, so nothing is
 * read, written or deleted; over HTTP it is a 400, never a crash.
 */
public class InvalidNameException extends InvalidRequestException {
    public InvalidNameException(String message) {
        super(message);
    }
}
