package io.latchkey.protocol.ota;

/** The states a device reports for one rollout (docs/ota.md §3), in the order they normally come. */
public enum OtaState {
    DOWNLOADING, DOWNLOADED, VERIFIED, INSTALLING, UPDATED, FAILED, ROLLED_BACK;

    /** Whether the rollout is over for this device. */
    public boolean isFinal() {
        return this == UPDATED || this == FAILED || this == ROLLED_BACK;
    }
}
