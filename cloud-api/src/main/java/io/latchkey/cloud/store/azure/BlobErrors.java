package io.latchkey.cloud.store.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.latchkey.cloud.store.StoreException;

/** Reads the service's error codes; every other failure becomes a {@link StoreException} naming the blob. */
final class BlobErrors {
    /** Not in the SDK's {@link BlobErrorCode} constants (append blob seal, API 2019-12-12). */
    static final BlobErrorCode BLOB_IS_SEALED = BlobErrorCode.fromString("BlobIsSealed");

    private BlobErrors() {
    }

    static boolean is(BlobStorageException e, BlobErrorCode... codes) {
        for (BlobErrorCode code : codes) {
            if (code.equals(e.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    static boolean notFound(BlobStorageException e) {
        return e.getStatusCode() == 404 || is(e, BlobErrorCode.BLOB_NOT_FOUND, BlobErrorCode.CONTAINER_NOT_FOUND);
    }

    /** The append blob takes no more: size limit of our segments, the service's block limit, or sealed. */
    static boolean segmentFull(BlobStorageException e) {
        return is(e, BlobErrorCode.MAX_BLOB_SIZE_CONDITION_NOT_MET, BlobErrorCode.BLOCK_COUNT_EXCEEDS_LIMIT, BLOB_IS_SEALED);
    }

    static StoreException failure(String what, BlobStorageException e) {
        // the service message can be long and includes request ids; the code and status say what went wrong
        return new StoreException("cannot " + what + ": " + e.getStatusCode() + " " + e.getErrorCode(), e);
    }
}
