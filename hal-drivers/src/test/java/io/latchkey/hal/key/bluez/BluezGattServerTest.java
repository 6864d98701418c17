package io.latchkey.hal.key.bluez;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.key.BleKeyLink;
import io.latchkey.hal.key.KeyFrames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;

/** The BlueZ driver's logic and its D-Bus translation, with the bus behind the server's seam (no Bluetooth here). */
class BluezGattServerTest {
    static final String PHONE = "/org/bluez/hci0/dev_AA_BB_CC_DD_EE_FF";

    final List<byte[]> notified = new ArrayList<>();
    final List<String> dropped = new ArrayList<>();
    final BluezGattServer server = new BluezGattServer(new BluezGattServer.Bus() {
        @Override
        public void valueChanged(String path, byte[] value) {
            assertThat(path).isEqualTo(BluezGattServer.RESULT_PATH);
            notified.add(value);
        }

        @Override
        public void disconnect(String devicePath) {
            dropped.add(devicePath);
        }
    });
    final List<String> received = new ArrayList<>();
    final List<String> closed = new ArrayList<>();

    void echoing() {
        server.serve("LKabcdef01", connection -> new BleKeyLink.Session() {
            @Override
            public void message(byte[] message) {
                received.add(new String(message, StandardCharsets.UTF_8));
                connection.send(("answer to " + new String(message, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void closed() {
                closed.add(connection.id());
            }
        });
    }

    @Test
    void theExportedTree_isTheKeyServiceWithItsTwoCharacteristics_andTheAdvertisementNamesIt() {
        echoing();
        Map<DBusPath, Map<String, Map<String, Variant<?>>>> tree = new DbusBluezKeyLink.Application(server).GetManagedObjects();

        assertThat(tree.keySet()).extracting(DBusPath::getPath)
                .containsExactly(BluezGattServer.SERVICE_PATH, BluezGattServer.REQUEST_PATH, BluezGattServer.RESULT_PATH);
        Map<String, Variant<?>> service = tree.get(new DBusPath(BluezGattServer.SERVICE_PATH)).get("org.bluez.GattService1");
        assertThat(service.get("UUID").getValue()).isEqualTo("6c6b0001-7a3c-4e0f-9a55-4c4154434b31");
        assertThat(service.get("Primary").getValue()).isEqualTo(true);
        Map<String, Variant<?>> request = tree.get(new DBusPath(BluezGattServer.REQUEST_PATH)).get("org.bluez.GattCharacteristic1");
        assertThat(request.get("UUID").getValue()).isEqualTo("6c6b0002-7a3c-4e0f-9a55-4c4154434b31");
        assertThat(request.get("Service").getValue()).isEqualTo(new DBusPath(BluezGattServer.SERVICE_PATH));
        assertThat((String[]) request.get("Flags").getValue()).containsExactly("write");
        assertThat(request.get("Flags").getSig()).isEqualTo("as");
        Map<String, Variant<?>> result = tree.get(new DBusPath(BluezGattServer.RESULT_PATH)).get("org.bluez.GattCharacteristic1");
        assertThat(result.get("UUID").getValue()).isEqualTo("6c6b0003-7a3c-4e0f-9a55-4c4154434b31");
        assertThat((String[]) result.get("Flags").getValue()).containsExactly("read", "notify");

        List<DBusInterface> exported = DbusBluezKeyLink.exported(server);
        assertThat(exported).extracting(DBusInterface::getObjectPath).containsExactly(BluezGattServer.APP_PATH,
                BluezGattServer.SERVICE_PATH, BluezGattServer.REQUEST_PATH, BluezGattServer.RESULT_PATH, BluezGattServer.ADVERTISEMENT_PATH);
        assertThat(exported.get(0)).isInstanceOf(ObjectManager.class);
        Map<String, Variant<?>> ad = ((DbusBluezKeyLink.Advertisement) exported.get(4)).GetAll("org.bluez.LEAdvertisement1");
        assertThat(ad.get("Type").getValue()).isEqualTo("peripheral");
        assertThat(ad.get("LocalName").getValue()).isEqualTo("LKabcdef01");
        assertThat((String[]) ad.get("ServiceUUIDs").getValue()).containsExactly(BleKeyLink.SERVICE_UUID);
    }

    @Test
    void aPhonesWrites_becomeMessages_andTheAnswerIsNotifiedFramedInPiecesOfTheLinksMtu() {
        echoing();
        DbusBluezKeyLink.Characteristic request = (DbusBluezKeyLink.Characteristic) DbusBluezKeyLink.exported(server).get(2);
        byte[] frame = KeyFrames.encode("{\"t\":\"hello\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Variant<?>> options = Map.of("device", new Variant<>(new DBusPath(PHONE)), "mtu", new Variant<>(new UInt16(23)));
        for (byte[] chunk : KeyFrames.chunks(frame, 5)) {
            request.WriteValue(chunk, options);
        }

        assertThat(received).containsExactly("{\"t\":\"hello\"}");
        assertThat(notified).allSatisfy(piece -> assertThat(piece.length).isLessThanOrEqualTo(20));
        KeyFrames.Decoder phone = new KeyFrames.Decoder();
        List<byte[]> answers = new ArrayList<>();
        notified.forEach(piece -> answers.addAll(phone.feed(piece)));
        assertThat(answers).extracting(a -> new String(a, StandardCharsets.UTF_8)).containsExactly("answer to {\"t\":\"hello\"}");
        assertThat(server.readValue(BluezGattServer.RESULT_PATH)).isEqualTo(notified.get(notified.size() - 1));
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aMalformedFrame_disconnectsThatPhoneOnly_andEndsItsSession() {
        echoing();
        server.writeValue(BluezGattServer.REQUEST_PATH, KeyFrames.encode("a".getBytes(StandardCharsets.UTF_8)), PHONE, 0);
        server.writeValue(BluezGattServer.REQUEST_PATH, KeyFrames.encode("b".getBytes(StandardCharsets.UTF_8)), "/org/bluez/hci0/dev_other", 0);
        server.writeValue(BluezGattServer.REQUEST_PATH, new byte[] {(byte) 0xff, (byte) 0xff, 0}, PHONE, 0);

        assertThat(dropped).containsExactly(PHONE);
        assertThat(closed).hasSize(1);
        assertThat(server.connections()).isEqualTo(1);
        server.deviceDisconnected("/org/bluez/hci0/dev_other");
        assertThat(closed).hasSize(2);
    }

    @Test
    void writesAnywhereButTheRequestCharacteristic_areRefused() {
        echoing();
        assertThatThrownBy(() -> server.writeValue(BluezGattServer.RESULT_PATH, new byte[] {1}, PHONE, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.readValue(BluezGattServer.REQUEST_PATH)).isInstanceOf(IllegalArgumentException.class);
        assertThat(received).isEmpty();
    }
}
