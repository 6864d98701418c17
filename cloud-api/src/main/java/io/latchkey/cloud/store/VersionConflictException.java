package io.latchkey.cloud.store;

/**
 * {@link TenantStore#replace} was given a version that is no longer the stored one: someone else wrote
 * the document since it was read. Read again and retry.
 */
public class VersionConflictException extends StoreException {
    public VersionConflictException(String collection, String id) {
        super(collection + "/" + id + " was changed concurrently");
    }
}
