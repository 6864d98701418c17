package io.latchkey.protocol;

import java.util.Locale;

/** The channels of a device's topic tree, {@code lk/{tenant}/{deviceId}/{channel}}. */
public enum Channel {
    /** Cloud to car: signed commands. */
    CMD,
    /** Car to cloud: the outcome of a command. */
    ACK,
    /** Car to cloud: batches of sequenced telemetry records. */
    TELEMETRY,
    /** Car to cloud, retained: the device's latest state, and its last will. */
    STATE,
    /** Car to cloud: notable events (tamper, low voltage, journal evictions). */
    EVENT,
    /**
     * Cloud to car: a telemetry batch is durably stored. The car keeps every record in its journal until
     * a receipt covers it; the broker's PUBACK alone never releases a record.
     */
    RECEIPT,
    /**
     * Cloud to car, retained: the tenant's newest signed revocation list of offline keys
     * (docs/offline-keys.md §6), a {@code TenantSigned} document. Only the backend publishes it.
     */
    REVOCATIONS,
    /**
     * Car to cloud: a certificate renewal request, or the word that the renewed certificate is in use
     * ({@code identity.RenewalRequest}, docs/device-identity.md).
     */
    CSR,
    /** Cloud to car: the answer to a renewal request, with the new certificate ({@code identity.RenewalAnswer}). */
    CERT,
    /**
     * Cloud to car, retained: the tenant's newest signed key set ({@code identity.SignedKeySet}): the command, update,
     * offline-key issuing and key-set signing keys the car trusts. Only the backend publishes it.
     */
    KEYS;

    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel fromSegment(String segment) {
        for (Channel c : values()) {
            if (c.segment().equals(segment)) {
                return c;
            }
        }
        throw new MalformedMessageException("unknown channel '" + segment + "'");
    }
}
