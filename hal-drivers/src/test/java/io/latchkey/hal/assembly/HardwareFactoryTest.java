package io.latchkey.hal.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.latchkey.hal.gpio.pi4j.Pi4jGpio;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.hal.HalException;
import io.latchkey.hal.vehicle.Vss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareFactoryTest {
    private final Context context = Pi4J.newContextBuilder().noAutoDetect().add(new MockPlatform())
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance()).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final HardwareFactory factory = new HardwareFactory(Clock.systemUTC(),
            () -> new Pi4jGpio(context, "mock-digital-output", "mock-digital-input", Duration.ZERO));
    private Hardware hardware;

    @AfterEach
    void close() throws Exception {
        if (hardware != null) {
            for (AutoCloseable d : hardware.drivers()) {
                d.close();
            }
        }
        scheduler.shutdownNow();
    }

    private static Map<String, String> pi() {
        Map<String, String> m = new HashMap<>();
        m.put("hardware.locks", "pi4j");
        m.put("hardware.gnss", "simulated");
        m.put("hardware.gpio.unlock-relay", "17");
        m.put("hardware.gpio.lock-relay", "27");
        m.put("hardware.gpio.locked-feedback", "5");
        m.put("hardware.gpio.immobiliser-relay", "22");
        m.put("hardware.gpio.ignition", "13");
        m.put("hardware.gpio.tamper", "19");
        m.put("hardware.gpio.tamper.active", "low");
        m.put("hardware.lock.pulse", "1ms");
        return m;
    }

    @Test
    void pi4jLocks_driveTheConfiguredLines_andInputsBecomeVehicleSignals() {
        hardware = factory.create(HardwareConfig.parse(pi(), null));
        MockDigitalInput ignition = context.io("ignition");
        MockDigitalInput tamper = context.io("tamper");

        ignition.mockState(DigitalState.HIGH);
        tamper.mockState(DigitalState.HIGH);
        tamper.mockState(DigitalState.LOW);
        hardware.immobiliser().orElseThrow().immobilise();

        assertThat(hardware.signals().value(Vss.IGNITION_ON)).contains(1.0);
        assertThat(hardware.signals().value(AgentSignals.TAMPERED)).contains(1.0);
        assertThat(((MockDigitalOutput) context.io("immobiliser-relay")).state()).isEqualTo(DigitalState.HIGH);
        assertThat(hardware.description().get(0)).startsWith("locks: Pi4J/gpiod relays");
    }

    @Test
    void keyHolder_isAGpioInputLikeTheOthers_andAbsentWhenNotWired() {
        Map<String, String> m = pi();
        m.put("hardware.gpio.key-in-holder", "6");
        m.put("hardware.gpio.key-in-holder.active", "low");
        hardware = factory.create(HardwareConfig.parse(m, null));
        MockDigitalInput holder = context.io("key-in-holder");

        holder.mockState(DigitalState.LOW); // active-low contact closed: the key is in
        assertThat(hardware.signals().value(AgentSignals.KEY_IN_HOLDER)).contains(1.0);
        holder.mockState(DigitalState.HIGH);
        assertThat(hardware.signals().value(AgentSignals.KEY_IN_HOLDER)).contains(0.0);
    }

    @Test
    void noKeyHolderWired_noKeySignal_soTheAgentSkipsThatCheck() {
        hardware = factory.create(HardwareConfig.parse(pi(), null));

        assertThat(hardware.signals().value(AgentSignals.KEY_IN_HOLDER)).isEmpty();
    }

    @Test
    void simulatedParts_sayTheyAreSimulated() {
        hardware = factory.create(HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.power", "simulated"), null));

        assertThat(hardware.description()).anyMatch(l -> l.contains("SIMULATED central locking"))
                .anyMatch(l -> l.contains("gnss: SIMULATED")).anyMatch(l -> l.contains("supply voltage: SIMULATED"));
        assertThat(hardware.supplyVoltage()).isPresent();
        assertThat(hardware.canBus()).as("hardware.can defaults to none").isEmpty();
        assertThat(hardware.immobiliser()).isPresent();
        // what the agent's end-of-rental and immobiliser checks read: parked, ignition off, door shut
        assertThat(hardware.signals().value(Vss.SPEED)).contains(0.0);
        assertThat(hardware.signals().value(Vss.IGNITION_ON)).contains(0.0);
        assertThat(hardware.signals().value(Vss.DRIVER_DOOR_OPEN)).contains(0.0);
    }

    @Test
    void candumpReplay_isTheCanBusHandedToTheAgent(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("drive.log"), "");
        hardware = factory.create(HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.can", "candump-replay", "hardware.can.replay.file", log.toString(),
                "hardware.can.profile", "hyundai_i30_2014"), null));

        assertThat(hardware.canBus()).isPresent();
        assertThat(hardware.drivers()).contains(hardware.canBus().get());
    }

    @Test
    void socketCan_onAKernelWithoutCan_failsAtStartUp_namingTheInterface() {
        Map<String, String> m = new HashMap<>(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.can", "socketcan", "hardware.can.interface", "can7", "hardware.can.profile", "hyundai_i30_2014"));

        assertThatThrownBy(() -> factory.create(HardwareConfig.parse(m, null)))
                .isInstanceOf(HalException.class).hasMessageContaining("can7");
    }

    @Test
    void offlineKeyReaders_areNoneByDefault_simulatedWhenNamed_andAPortTheSerialScannerOpensInTheBackground() {
        hardware = factory.create(HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated"), null));
        assertThat(hardware.bleKeyLink()).isEmpty();
        assertThat(hardware.barcodeScanner()).isEmpty();
        assertThat(hardware.description()).contains("offline keys BLE: none", "offline keys QR: none");

        hardware = factory.create(HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.ble", "simulated", "hardware.qr", "simulated"), null));
        assertThat(hardware.bleKeyLink()).containsInstanceOf(io.latchkey.hal.key.SimulatedBleKeyLink.class);
        assertThat(hardware.barcodeScanner()).containsInstanceOf(io.latchkey.hal.key.SimulatedBarcodeScanner.class);

        hardware = factory.create(HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.ble", "bluez", "hardware.ble.adapter", "hci1", "hardware.qr", "serial", "hardware.qr.serial.port",
                "/dev/ttyNOPE9"), null));
        assertThat(hardware.bleKeyLink()).containsInstanceOf(io.latchkey.hal.key.bluez.DbusBluezKeyLink.class);
        assertThat(hardware.description()).contains("offline keys BLE: BlueZ GATT on hci1",
                "offline keys QR: serial scanner on /dev/ttyNOPE9 at 9600 baud");
        assertThat(hardware.drivers()).as("closed with the agent").hasAtLeastOneElementOfType(
                io.latchkey.hal.key.serial.SerialBarcodeScanner.class);
    }

    @Test
    void theRtc_isNoneByDefault_simulatedWhenNamed_andALinuxOneMustExist() {
        hardware = factory.create(HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated"), null));
        assertThat(hardware.rtc()).isEmpty();
        assertThat(hardware.description()).contains("car time: no hardware RTC");
        hardware = factory.create(HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.rtc", "simulated"), null));
        assertThat(hardware.rtc()).containsInstanceOf(io.latchkey.hal.time.SimulatedRtc.class);
        // this machine (and CI's) has no /sys/class/rtc/rtc7: the start fails naming it, as for any configured driver
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> factory.create(HardwareConfig.parse(Map.of("hardware.locks",
                "simulated", "hardware.gnss", "simulated", "hardware.rtc", "linux", "hardware.rtc.device", "rtc7"), null)))
                .isInstanceOf(io.latchkey.hal.HalException.class).hasMessageContaining("/sys/class/rtc/rtc7/since_epoch");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HardwareConfig.parse(Map.of("hardware.locks", "simulated",
                "hardware.gnss", "simulated", "hardware.rtc", "linux", "hardware.rtc.device", "/dev/rtc0"), null))
                .hasMessageContaining("hardware.rtc.device");
    }

    @Test
    void badOfflineKeyReaderValues_nameTheKey() {
        assertThatThrownBy(() -> HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.ble", "bluetooth"), null)).hasMessage("hardware.ble: expected bluez|simulated|none, got 'bluetooth'");
        assertThatThrownBy(() -> HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.ble.adapter", "/dev/hci0"), null)).hasMessageStartingWith("hardware.ble.adapter: expected");
        assertThatThrownBy(() -> HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.qr", "usb-hid"), null)).hasMessage("hardware.qr: expected serial|hid|simulated|none, got 'usb-hid'");
        assertThatThrownBy(() -> HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.qr", "hid"), null)).hasMessageStartingWith("hardware.qr.hid.device is required with hardware.qr=hid");
    }
}
