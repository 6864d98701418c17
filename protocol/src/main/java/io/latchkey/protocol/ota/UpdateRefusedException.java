package io.latchkey.protocol.ota;

import io.latchkey.protocol.ProtocolException;

/** An update bundle or offer the device will not install, with the reason it reports in its {@code FAILED} status. */
public final class UpdateRefusedException extends ProtocolException {
    /** Why; the name travels as the status's reason prefix. */
    public enum Reason {
        /** Not a bundle: no manifest, not a zip, bad JSON, a field missing or out of range. */
        MALFORMED,
        /** No signature, or the manifest is not a signed envelope. */
        UNSIGNED,
        /** Signed by a key the device has not pinned as an update key. */
        UNKNOWN_KEY,
        /** The signature does not verify: the manifest was changed after signing. */
        BAD_SIGNATURE,
        /** Another tenant's release. */
        WRONG_TENANT,
        /** A file differs from the manifest (hash or size), is missing, or is not listed. */
        TAMPERED,
        /** Older than the running version, and the manifest does not allow a downgrade. */
        DOWNGRADE,
        /** The running version already. */
        SAME_VERSION,
        /** The running version is below the release's minimum version to update from. */
        VERSION_TOO_OLD,
        /** The release needs a runtime configuration schema newer than this device has. */
        SCHEMA_UNSUPPORTED,
        /** The downloaded file is not the one offered (size or SHA-256), or the offer's manifest differs from the bundle's. */
        OFFER_MISMATCH
    }

    private final Reason reason;

    public UpdateRefusedException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
