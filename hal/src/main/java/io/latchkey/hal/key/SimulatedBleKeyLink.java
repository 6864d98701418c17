package io.latchkey.hal.key;

import io.latchkey.hal.HalException;
import io.latchkey.hal.Registration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The BLE key link's simulated twin, at the message level: a test's or the simulator's virtual phone
 * {@link #connect() connects}, writes raw chunks or whole framed messages, and reads the car's notifications. The
 * bytes go through the same {@link KeyFrames.Decoder} as the BlueZ driver's, both ways, so a malformed frame closes
 * the connection as it would on the car. Calls run on the phone's thread (synchronously, like one GATT event queue).
 */
public final class SimulatedBleKeyLink implements BleKeyLink {
    private final AtomicLong ids = new AtomicLong();
    private volatile String localName;
    private volatile Acceptor acceptor;
    private volatile boolean closed;

    @Override
    public synchronized Registration advertise(String localName, Acceptor acceptor) {
        if (closed) {
            throw new HalException("the simulated BLE link is closed");
        }
        // A new advertiser replaces the last one, as a restarted agent process's objects replace a dead one's at
        // BlueZ (a process that died never closed its registration).
        this.localName = localName;
        this.acceptor = acceptor;
        return () -> {
            synchronized (this) {
                if (this.acceptor == acceptor) {
                    this.acceptor = null;
                    this.localName = null;
                }
            }
        };
    }

    /** The local name advertised now, or null when not advertising (what a phone's scan would see). */
    public String advertisedName() {
        return localName;
    }

    /** Whether a car advertises now. */
    public boolean advertising() {
        return acceptor != null;
    }

    /**
     * A phone connects.
     *
     * @throws HalException if the car does not advertise
     */
    public Phone connect() {
        Acceptor a = acceptor;
        if (a == null || closed) {
            throw new HalException("no car advertises the key service");
        }
        Phone phone = new Phone("sim-" + ids.incrementAndGet());
        phone.session = a.accept(phone.carSide);
        return phone;
    }

    @Override
    public void close() {
        closed = true;
        acceptor = null;
        localName = null;
    }

    /** The phone's (GATT central's) end of one connection. */
    public static final class Phone {
        private final KeyFrames.Decoder fromPhone = new KeyFrames.Decoder();
        private final KeyFrames.Decoder fromCar = new KeyFrames.Decoder();
        private final BlockingQueue<byte[]> notifications = new LinkedBlockingQueue<>();
        private final Connection carSide;
        private volatile Session session;
        private volatile boolean connected = true;

        private Phone(String id) {
            this.carSide = new Connection() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public void send(byte[] message) {
                    byte[] frame = KeyFrames.encode(message);
                    if (connected) {
                        synchronized (fromCar) {
                            fromCar.feed(frame).forEach(notifications::add);
                        }
                    }
                }

                @Override
                public void close() {
                    disconnect();
                }
            };
        }

        /** Writes raw bytes to the request characteristic, as one GATT write. */
        public void write(byte[] chunk) {
            if (!connected) {
                throw new HalException("not connected");
            }
            List<byte[]> messages;
            try {
                synchronized (fromPhone) {
                    messages = fromPhone.feed(chunk);
                }
            } catch (KeyFrames.MalformedFrameException e) {
                disconnect();
                return;
            }
            for (byte[] m : messages) {
                if (connected) {
                    session.message(m);
                }
            }
        }

        /** Frames a message and writes it in pieces of {@code mtu} bytes. */
        public void send(byte[] message, int mtu) {
            for (byte[] chunk : KeyFrames.chunks(KeyFrames.encode(message), mtu)) {
                write(chunk);
            }
        }

        /** Frames a message and writes it in pieces of 182 bytes (a typical negotiated ATT MTU of 185, less 3). */
        public void send(byte[] message) {
            send(message, 182);
        }

        /** The car's next notification, or null if none comes within {@code timeout}. */
        public byte[] receive(Duration timeout) {
            try {
                return notifications.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        public boolean isConnected() {
            return connected;
        }

        /** The phone walks away (or the car closed the connection). */
        public void disconnect() {
            if (connected) {
                connected = false;
                Session s = session;
                if (s != null) {
                    s.closed();
                }
            }
        }
    }
}
