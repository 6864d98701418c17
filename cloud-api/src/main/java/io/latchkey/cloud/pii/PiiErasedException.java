package io.latchkey.cloud.pii;

/**
 * The user's data key was destroyed (the account was terminated) while the tenant's key is still there: what was
 * sealed for that user is erased. Met when reading a copy of a document made before the termination, e.g. after
 * restoring a backup; callers read such a record as erased, not as a failure.
 */
public class PiiErasedException extends PiiKeyException {
    public PiiErasedException(String message) {
        super(message, null);
    }
}
