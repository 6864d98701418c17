package io.latchkey.hal.key.bluez;

import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.Variant;

/** The BlueZ D-Bus interfaces the key service uses (BlueZ's doc/org.bluez.Gatt*.rst, org.bluez.LEAdvertis*.rst). */
final class BluezInterfaces {
    private BluezInterfaces() {
    }

    /** On the adapter ({@code /org/bluez/hci0}): registers a GATT application (an ObjectManager root). */
    @DBusInterfaceName("org.bluez.GattManager1")
    interface GattManager1 extends DBusInterface {
        void RegisterApplication(DBusPath application, Map<String, Variant<?>> options);

        void UnregisterApplication(DBusPath application);
    }

    /** On the adapter: registers an advertisement object. */
    @DBusInterfaceName("org.bluez.LEAdvertisingManager1")
    interface LEAdvertisingManager1 extends DBusInterface {
        void RegisterAdvertisement(DBusPath advertisement, Map<String, Variant<?>> options);

        void UnregisterAdvertisement(DBusPath advertisement);
    }

    /** Exported: the service (its properties only). */
    @DBusInterfaceName("org.bluez.GattService1")
    interface GattService1 extends DBusInterface {
    }

    /** Exported: a characteristic, called by BlueZ when a phone reads, writes or subscribes. */
    @DBusInterfaceName("org.bluez.GattCharacteristic1")
    interface GattCharacteristic1 extends DBusInterface {
        byte[] ReadValue(Map<String, Variant<?>> options);

        void WriteValue(byte[] value, Map<String, Variant<?>> options);

        void StartNotify();

        void StopNotify();
    }

    /** Exported: the advertisement; BlueZ calls Release when it drops it. */
    @DBusInterfaceName("org.bluez.LEAdvertisement1")
    interface LEAdvertisement1 extends DBusInterface {
        void Release();
    }

    /** A connected phone, to drop it after a malformed frame. */
    @DBusInterfaceName("org.bluez.Device1")
    interface Device1 extends DBusInterface {
        void Disconnect();
    }
}
