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
    /** Cloud to car: an over-the-air update offer (docs/ota.md), the manifest signed by the tenant's update key. */
    OTA,
    /** Car to cloud: the progress of an update ({@code DOWNLOADING} ... {@code UPDATED}, {@code ROLLED_BACK}), signed by the device key. */
    OTA_STATUS,
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
    KEYS,
    /**
     * Cloud to car, retained: when the car's next booking starts ({@code NextBooking}), so that a sleeping car
     * wakes ahead of it (docs/agent.md, power states). Only the backend publishes it.
     */
    BOOKING;

    /**
     * The MQTT QoS this channel's messages are published with, the one rule both MQTT clients of the car and the
     * backend's follow: 0 (at most once) for commands, 1 (at least once) for every other channel. Telemetry, state and
     * events must survive an outage; receipts, revocations, key sets and offers are what a car waits for; a command's
     * answer is the backend's evidence of what the car did, queued for the backend's persistent session should its
     * replica be gone at that moment, so it stays at QoS 1.
     *
     * <p>A command lives only as long as its caller waits (10 s by default), and the backend sends the same signed
     * command again until it has the answer ({@code latchkey.commands.resend}: at 0, 1, 3 and 7 s), so the broker's
     * queue adds nothing a copy does not: a car that was away gets the next copy; the car answers a repeated id from
     * its first result, so no copy acts twice. At QoS 1 every command went through HiveMQ's persistent client queue
     * for the car (a Xodus transaction in file mode): a packet capture of the unlock bench measured a command 1.08 ms
     * (p50) / 2.23 ms (p90) inside the broker against 0.35 / 1.22 ms at QoS 0, which the broker hands to a connected
     * car from memory (docs/benchmarks-fleet.md, "Commands at QoS 0, measured inside the broker"). An earlier trial of
     * QoS 0 for commands and answers (2026-12-06, before the answers had a connection of their own) found no gain:
     * then the answers waited behind the backend's unacknowledged telemetry, which hid it.
     */
    public int qos() {
        return this == CMD ? 0 : 1;
    }

    /**
     * Car to cloud: a device publishes on this channel of its own topic (the broker lets it publish on no other);
     * every other channel is cloud to car, and a device subscribes to exactly those of its own topic.
     */
    public boolean fromCar() {
        return switch (this) {
            case ACK, TELEMETRY, STATE, EVENT, OTA_STATUS, CSR -> true;
            case CMD, RECEIPT, REVOCATIONS, OTA, CERT, KEYS, BOOKING -> false;
        };
    }

    /** The channels a device subscribes to on its own topic, in declaration order. */
    public static java.util.List<Channel> toCar() {
        return java.util.Arrays.stream(values()).filter(c -> !c.fromCar()).toList();
    }

    /** The topic segment: the name in lower case, {@code _} as {@code -} ({@code ota-status}). */
    public String segment() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
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
