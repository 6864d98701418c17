package io.latchkey.cloud.store;

/** {@link TenantStore#create} found a document already stored under that id. */
public class DocumentExistsException extends StoreException {
    public DocumentExistsException(String collection, String id) {
        super(collection + "/" + id + " already exists");
    }
}
