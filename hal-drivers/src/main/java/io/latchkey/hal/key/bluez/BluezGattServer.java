package io.latchkey.hal.key.bluez;

import io.latchkey.hal.key.BleKeyLink;
import io.latchkey.hal.key.KeyFrames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of the key service's GATT server as BlueZ sees it, with no D-Bus types: the object tree the application
 * exports ({@code GetManagedObjects}: path → interface → property → value), the advertisement's properties, and
 * what a phone's write to the request characteristic does (per-device frame reassembly, a session per device, a
 * malformed frame disconnecting the device) and how the car's answers leave (framed, cut to the link's MTU, each piece
 * a change of the result characteristic's {@code Value}, which BlueZ notifies). The D-Bus side ({@link DbusBluezKeyLink})
 * only translates; this class is what the tests drive through the {@link Bus} seam.
 */
public final class BluezGattServer {
    public static final String APP_PATH = "/io/latchkey/key";
    public static final String SERVICE_PATH = APP_PATH + "/service0";
    public static final String REQUEST_PATH = SERVICE_PATH + "/char0";
    public static final String RESULT_PATH = SERVICE_PATH + "/char1";
    public static final String ADVERTISEMENT_PATH = APP_PATH + "/advertisement0";
    public static final String SERVICE_IFACE = "org.bluez.GattService1";
    public static final String CHARACTERISTIC_IFACE = "org.bluez.GattCharacteristic1";
    public static final String ADVERTISEMENT_IFACE = "org.bluez.LEAdvertisement1";
    /** The ATT payload when BlueZ does not tell the MTU: the minimum ATT MTU (23) less its 3-byte header. */
    static final int DEFAULT_PAYLOAD = 20;

    private static final Logger LOG = LoggerFactory.getLogger(BluezGattServer.class);

    /** What the server needs of the bus: emit a characteristic's new value, drop a device's connection. */
    public interface Bus {
        void valueChanged(String characteristicPath, byte[] value);

        void disconnect(String devicePath);
    }

    private final Bus bus;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private volatile BleKeyLink.Acceptor acceptor;
    private volatile String localName;
    private volatile boolean notifying;
    private volatile byte[] lastValue = new byte[0];

    public BluezGattServer(Bus bus) {
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    void serve(String localName, BleKeyLink.Acceptor acceptor) {
        this.localName = localName;
        this.acceptor = acceptor;
    }

    void stop() {
        acceptor = null;
        links.keySet().forEach(this::deviceDisconnected);
    }

    /** The application's objects, as {@code org.freedesktop.DBus.ObjectManager.GetManagedObjects} returns them. */
    public Map<String, Map<String, Map<String, Object>>> managedObjects() {
        Map<String, Map<String, Map<String, Object>>> tree = new LinkedHashMap<>();
        tree.put(SERVICE_PATH, Map.of(SERVICE_IFACE, serviceProperties()));
        tree.put(REQUEST_PATH, Map.of(CHARACTERISTIC_IFACE, characteristicProperties(REQUEST_PATH)));
        tree.put(RESULT_PATH, Map.of(CHARACTERISTIC_IFACE, characteristicProperties(RESULT_PATH)));
        return tree;
    }

    public Map<String, Object> serviceProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("UUID", BleKeyLink.SERVICE_UUID);
        p.put("Primary", true);
        return p;
    }

    /** @throws IllegalArgumentException for a path that is not one of the two characteristics */
    public Map<String, Object> characteristicProperties(String path) {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (path) {
            case REQUEST_PATH -> {
                p.put("UUID", BleKeyLink.REQUEST_UUID);
                p.put("Service", SERVICE_PATH);
                p.put("Flags", List.of("write"));
            }
            case RESULT_PATH -> {
                p.put("UUID", BleKeyLink.RESULT_UUID);
                p.put("Service", SERVICE_PATH);
                p.put("Flags", List.of("read", "notify"));
                p.put("Notifying", notifying);
            }
            default -> throw new IllegalArgumentException("no characteristic at " + path);
        }
        return p;
    }

    /** The advertisement ({@code org.bluez.LEAdvertisement1}): connectable, the key service, the car's local name. */
    public Map<String, Object> advertisementProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Type", "peripheral");
        p.put("ServiceUUIDs", List.of(BleKeyLink.SERVICE_UUID));
        p.put("LocalName", localName == null ? "LK" : localName);
        return p;
    }

    /**
     * A phone wrote {@code value} to {@code path} ({@code WriteValue}; BlueZ names the device and, in 5.62+, the MTU).
     *
     * @param mtu the ATT MTU BlueZ reported for the link, or 0 if it did not
     * @throws IllegalArgumentException for a write to anything but the request characteristic (BlueZ answers the phone
     *                                  with an error)
     */
    public void writeValue(String path, byte[] value, String devicePath, int mtu) {
        if (!REQUEST_PATH.equals(path)) {
            throw new IllegalArgumentException("write not permitted on " + path);
        }
        BleKeyLink.Acceptor a = acceptor;
        if (a == null || devicePath == null) {
            return;
        }
        Link link = links.computeIfAbsent(devicePath, d -> new Link(d, "ble-" + ids.incrementAndGet()));
        if (mtu > 3) {
            link.payload = mtu - 3;
        }
        link.received(value, a);
    }

    /** BlueZ says a device disconnected ({@code org.bluez.Device1.Connected} became false). */
    public void deviceDisconnected(String devicePath) {
        Link link = links.remove(devicePath);
        if (link != null && link.session != null) {
            link.session.closed();
        }
    }

    /** {@code ReadValue} of the result characteristic: its last value. */
    public byte[] readValue(String path) {
        if (!RESULT_PATH.equals(path)) {
            throw new IllegalArgumentException("read not permitted on " + path);
        }
        return lastValue.clone();
    }

    public void startNotify() {
        notifying = true;
    }

    public void stopNotify() {
        notifying = false;
    }

    /** Connections open now. */
    public int connections() {
        return links.size();
    }

    private final class Link implements BleKeyLink.Connection {
        private final String devicePath;
        private final String id;
        private final KeyFrames.Decoder decoder = new KeyFrames.Decoder();
        private volatile int payload = DEFAULT_PAYLOAD;
        private BleKeyLink.Session session;

        Link(String devicePath, String id) {
            this.devicePath = devicePath;
            this.id = id;
        }

        synchronized void received(byte[] value, BleKeyLink.Acceptor a) {
            List<byte[]> messages;
            try {
                messages = decoder.feed(value);
            } catch (KeyFrames.MalformedFrameException e) {
                LOG.info("BLE {}: malformed frame ({}), disconnecting", id, e.getMessage());
                close();
                return;
            }
            for (byte[] m : messages) {
                if (session == null) {
                    session = a.accept(this);
                }
                session.message(m);
            }
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void send(byte[] message) {
            for (byte[] piece : KeyFrames.chunks(KeyFrames.encode(message), payload)) {
                lastValue = piece;
                bus.valueChanged(RESULT_PATH, piece);
            }
        }

        @Override
        public void close() {
            bus.disconnect(devicePath);
            deviceDisconnected(devicePath);
        }
    }
}
