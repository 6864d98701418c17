package io.latchkey.hal.key.bluez;

import io.latchkey.hal.HalException;
import io.latchkey.hal.Registration;
import io.latchkey.hal.key.BleKeyLink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key service on the Pi's Bluetooth adapter through BlueZ (the {@code bluetoothd} of Raspberry Pi OS) over the
 * system D-Bus: exports the GATT application and the advertisement of {@link BluezGattServer}, registers them with
 * the adapter's {@code GattManager1} and {@code LEAdvertisingManager1}, turns {@code WriteValue} calls into the
 * server's writes, its value changes into {@code PropertiesChanged} signals (BlueZ's notifications), and a device's
 * {@code Connected=false} into the end of its session. Needs {@code bluetoothd} running, the adapter powered, and a
 * D-Bus policy that lets the agent's user own its objects and call {@code org.bluez} (docs/agent.md).
 *
 * <p><em>Note</em>: BlueZ notifies a characteristic's value to every subscribed phone; with two phones at the car at
 * once, each also sees the other's answers (signed, bound to the other's nonce, so ignored by its app).
 */
public final class DbusBluezKeyLink implements BleKeyLink {
    private static final Logger LOG = LoggerFactory.getLogger(DbusBluezKeyLink.class);

    private final String adapterPath;
    private DBusConnection connection;
    private BluezGattServer server;
    private final List<AutoCloseable> handlers = new ArrayList<>();

    /** @param adapter the adapter's name, e.g. {@code hci0} */
    public DbusBluezKeyLink(String adapter) {
        this.adapterPath = "/org/bluez/" + adapter;
    }

    @Override
    public synchronized Registration advertise(String localName, Acceptor acceptor) {
        if (server != null) {
            throw new HalException("BLE key service already advertising");
        }
        try {
            connection = DBusConnectionBuilder.forSystemBus().build();
            server = new BluezGattServer(new BluezGattServer.Bus() {
                @Override
                public void valueChanged(String path, byte[] value) {
                    try {
                        connection.sendMessage(new Properties.PropertiesChanged(path, BluezGattServer.CHARACTERISTIC_IFACE,
                                Map.of("Value", new Variant<>(value)), List.of()));
                    } catch (DBusException e) {
                        LOG.warn("BLE: notification not sent: {}", e.toString());
                    }
                }

                @Override
                public void disconnect(String devicePath) {
                    try {
                        connection.getRemoteObject("org.bluez", devicePath, BluezInterfaces.Device1.class).Disconnect();
                    } catch (DBusException | RuntimeException e) {
                        LOG.debug("BLE: disconnecting {}: {}", devicePath, e.toString());
                    }
                }
            });
            server.serve(localName, acceptor);
            for (var object : exported(server)) {
                connection.exportObject(object.getObjectPath(), object);
            }
            handlers.add(connection.addSigHandler(Properties.PropertiesChanged.class, signal -> {
                Variant<?> connected = signal.getPropertiesChanged().get("Connected");
                if ("org.bluez.Device1".equals(signal.getInterfaceName()) && connected != null
                        && Boolean.FALSE.equals(connected.getValue())) {
                    server.deviceDisconnected(signal.getPath());
                }
            }));
            connection.getRemoteObject("org.bluez", adapterPath, BluezInterfaces.GattManager1.class)
                    .RegisterApplication(new DBusPath(BluezGattServer.APP_PATH), Map.of());
            connection.getRemoteObject("org.bluez", adapterPath, BluezInterfaces.LEAdvertisingManager1.class)
                    .RegisterAdvertisement(new DBusPath(BluezGattServer.ADVERTISEMENT_PATH), Map.of());
        } catch (DBusException | RuntimeException e) {
            close();
            throw new HalException("BLE: cannot register the key service with BlueZ on " + adapterPath
                    + " (is bluetoothd running and the adapter powered?): " + e.getMessage(), e);
        }
        LOG.info("BLE: key service {} advertised as {} on {}", SERVICE_UUID, localName, adapterPath);
        return this::close;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
        }
        if (connection != null) {
            try {
                connection.getRemoteObject("org.bluez", adapterPath, BluezInterfaces.LEAdvertisingManager1.class)
                        .UnregisterAdvertisement(new DBusPath(BluezGattServer.ADVERTISEMENT_PATH));
                connection.getRemoteObject("org.bluez", adapterPath, BluezInterfaces.GattManager1.class)
                        .UnregisterApplication(new DBusPath(BluezGattServer.APP_PATH));
            } catch (DBusException | RuntimeException e) {
                LOG.debug("BLE: unregistering: {}", e.toString());
            }
            for (AutoCloseable h : handlers) {
                try {
                    h.close();
                } catch (Exception e) {
                    LOG.debug("BLE: {}", e.toString());
                }
            }
            handlers.clear();
            connection.disconnect();
        }
        connection = null;
        server = null;
    }

    // ---- the exported objects: translation only ----

    /** The objects to export for {@code server}: the application root, service, characteristics, advertisement. */
    static List<org.freedesktop.dbus.interfaces.DBusInterface> exported(BluezGattServer server) {
        return List.of(new Application(server), new Service(server),
                new Characteristic(server, BluezGattServer.REQUEST_PATH), new Characteristic(server, BluezGattServer.RESULT_PATH),
                new Advertisement(server));
    }

    /** Plain values to D-Bus variants: strings, booleans, string lists ({@code as}), and the {@code Service} path ({@code o}). */
    static Map<String, Variant<?>> variants(Map<String, Object> properties) {
        Map<String, Variant<?>> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                out.put(k, new Variant<>(list.stream().map(String::valueOf).toArray(String[]::new), "as"));
            } else if (v instanceof String s && k.equals("Service")) {
                out.put(k, new Variant<>(new DBusPath(s)));
            } else {
                out.put(k, new Variant<>(v));
            }
        });
        return out;
    }

    /** The device and MTU BlueZ names in a {@code WriteValue}'s options. */
    static String device(Map<String, Variant<?>> options) {
        Variant<?> v = options == null ? null : options.get("device");
        return v != null && v.getValue() instanceof DBusPath p ? p.getPath() : null;
    }

    static int mtu(Map<String, Variant<?>> options) {
        Variant<?> v = options == null ? null : options.get("mtu");
        return v != null && v.getValue() instanceof UInt16 u ? u.intValue() : 0;
    }

    private abstract static class Exported implements Properties {
        final BluezGattServer server;
        private final String path;
        private final String iface;

        Exported(BluezGattServer server, String path, String iface) {
            this.server = server;
            this.path = path;
            this.iface = iface;
        }

        abstract Map<String, Object> properties();

        @Override
        public String getObjectPath() {
            return path;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String interfaceName, String property) {
            Variant<?> v = GetAll(interfaceName).get(property);
            return v == null ? null : (A) v.getValue();
        }

        @Override
        public <A> void Set(String interfaceName, String property, A value) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String interfaceName) {
            return iface.equals(interfaceName) ? variants(properties()) : Map.of();
        }
    }

    static final class Application implements ObjectManager {
        private final BluezGattServer server;

        Application(BluezGattServer server) {
            this.server = server;
        }

        @Override
        public String getObjectPath() {
            return BluezGattServer.APP_PATH;
        }

        @Override
        public Map<DBusPath, Map<String, Map<String, Variant<?>>>> GetManagedObjects() {
            Map<DBusPath, Map<String, Map<String, Variant<?>>>> out = new LinkedHashMap<>();
            server.managedObjects().forEach((path, ifaces) -> {
                Map<String, Map<String, Variant<?>>> byIface = new LinkedHashMap<>();
                ifaces.forEach((iface, props) -> byIface.put(iface, variants(props)));
                out.put(new DBusPath(path), byIface);
            });
            return out;
        }
    }

    static final class Service extends Exported implements BluezInterfaces.GattService1 {
        Service(BluezGattServer server) {
            super(server, BluezGattServer.SERVICE_PATH, BluezGattServer.SERVICE_IFACE);
        }

        @Override
        Map<String, Object> properties() {
            return server.serviceProperties();
        }
    }

    static final class Characteristic extends Exported implements BluezInterfaces.GattCharacteristic1 {
        private final String path;

        Characteristic(BluezGattServer server, String path) {
            super(server, path, BluezGattServer.CHARACTERISTIC_IFACE);
            this.path = path;
        }

        @Override
        Map<String, Object> properties() {
            return server.characteristicProperties(path);
        }

        @Override
        public byte[] ReadValue(Map<String, Variant<?>> options) {
            return server.readValue(path);
        }

        @Override
        public void WriteValue(byte[] value, Map<String, Variant<?>> options) {
            server.writeValue(path, value, device(options), mtu(options));
        }

        @Override
        public void StartNotify() {
            server.startNotify();
        }

        @Override
        public void StopNotify() {
            server.stopNotify();
        }
    }

    static final class Advertisement extends Exported implements BluezInterfaces.LEAdvertisement1 {
        Advertisement(BluezGattServer server) {
            super(server, BluezGattServer.ADVERTISEMENT_PATH, BluezGattServer.ADVERTISEMENT_IFACE);
        }

        @Override
        Map<String, Object> properties() {
            return server.advertisementProperties();
        }

        @Override
        public void Release() {
            LOG.info("BLE: BlueZ released the advertisement");
        }
    }
}
