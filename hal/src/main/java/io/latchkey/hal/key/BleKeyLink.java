package io.latchkey.hal.key;

import io.latchkey.hal.Registration;

/**
 * The car's BLE GATT peripheral for offline keys, at the message level (docs/offline-keys.md §3): it advertises the
 * key service under a local name, accepts phones' connections, reassembles the frames a phone writes to the request
 * characteristic into messages, and notifies messages on the result characteristic. Implemented by the BlueZ driver
 * (hal-drivers) and by {@link SimulatedBleKeyLink}.
 */
public interface BleKeyLink extends AutoCloseable {
    /** The GATT service of offline keys. */
    String SERVICE_UUID = "6c6b0001-7a3c-4e0f-9a55-4c4154434b31";
    /** Phone to car: write with response. */
    String REQUEST_UUID = "6c6b0002-7a3c-4e0f-9a55-4c4154434b31";
    /** Car to phone: notify (and read). */
    String RESULT_UUID = "6c6b0003-7a3c-4e0f-9a55-4c4154434b31";

    /** One phone's connection. */
    interface Connection {
        /** An id for logs, unique while the link runs (never the phone's address). */
        String id();

        /** Frames {@code message} and notifies it to the phone. @throws KeyFrames.MalformedFrameException if too long */
        void send(byte[] message);

        /** Drops the connection (a malformed frame, or the session is over). Harmless if already closed. */
        void close();
    }

    /** What the link tells its user about one connection; called on the link's thread, one call at a time per connection. */
    interface Session {
        /** A whole message the phone wrote. */
        void message(byte[] message);

        /** The connection closed (by either side, or for a malformed frame: the link closes those itself). */
        default void closed() {
        }
    }

    /** Creates the session for each new connection. */
    @FunctionalInterface
    interface Acceptor {
        Session accept(Connection connection);
    }

    /**
     * Registers the service, advertises it as {@code localName} and hands each connection to {@code acceptor}.
     * One advertiser at a time.
     *
     * @throws io.latchkey.hal.HalException if the adapter cannot be reached or already advertises
     */
    Registration advertise(String localName, Acceptor acceptor);

    /** Stops advertising and drops every connection. */
    @Override
    void close();
}
