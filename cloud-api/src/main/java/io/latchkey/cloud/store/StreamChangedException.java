package io.latchkey.cloud.store;

/** {@link TenantStore#appendAt} found records appended after the position the caller had seen. */
public class StreamChangedException extends StoreException {
    public StreamChangedException(String stream) {
        super("stream " + stream + " was appended to concurrently");
    }
}
