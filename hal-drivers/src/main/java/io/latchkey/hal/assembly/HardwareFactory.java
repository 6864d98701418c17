package io.latchkey.hal.assembly;

import io.latchkey.hal.assembly.HardwareConfig.Can;
import io.latchkey.hal.gpio.pi4j.Pi4jGpio;
import io.latchkey.hal.gnss.serial.JSerialCommPort;
import io.latchkey.hal.key.BarcodeScanner;
import io.latchkey.hal.key.BleKeyLink;
import io.latchkey.hal.key.SimulatedBarcodeScanner;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.hal.key.bluez.DbusBluezKeyLink;
import io.latchkey.hal.key.serial.SerialBarcodeScanner;
import io.latchkey.hal.gnss.serial.SerialNmeaReader;
import io.latchkey.hal.can.socketcan.SocketCanBus;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.hal.vehicle.InputSignals;
import io.latchkey.hal.HalException;
import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.can.CanVehicleSignals;
import io.latchkey.hal.can.SimulatedCanBus;
import io.latchkey.hal.can.VehicleProfile;
import io.latchkey.hal.can.candump.CandumpReplay;
import io.latchkey.hal.can.dbc.DbcDatabase;
import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.gpsd.GpsdGnss;
import io.latchkey.hal.gnss.nmea.NmeaGnss;
import io.latchkey.hal.gpio.DigitalInput;
import io.latchkey.hal.gpio.DigitalOutput;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.Immobiliser;
import io.latchkey.hal.lock.RelayDoorLocks;
import io.latchkey.hal.lock.RelayImmobiliser;
import io.latchkey.hal.power.SimulatedSupplyVoltage;
import io.latchkey.hal.power.SupplyVoltage;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Hardware} a {@link HardwareConfig} asks for, part by part. A driver that cannot
 * start (no GPIO chip, no CAN interface) fails here with a {@link HalException} naming the part, so the
 * agent stops at start-up instead of running without it. If a later part fails, the drivers already
 * opened are closed.
 */
public final class HardwareFactory {
    private static final Logger LOG = LoggerFactory.getLogger(HardwareFactory.class);

    private final Clock clock;
    private final Supplier<Pi4jGpio> gpioSource;

    /**
     * @param gpioSource opens the GPIO context when {@code hardware.locks=pi4j} ({@code Pi4jGpio::gpiod}
     *                   on a Pi; tests pass one over Pi4J's mock platform)
     */
    public HardwareFactory(Clock clock, Supplier<Pi4jGpio> gpioSource) {
        this.clock = clock;
        this.gpioSource = gpioSource;
    }

    public Hardware create(HardwareConfig config) {
        List<AutoCloseable> drivers = new ArrayList<>();
        List<String> description = new ArrayList<>();
        try {
            MutableVehicleSignals signals = new MutableVehicleSignals();
            Locks locks = config.locks() == HardwareConfig.Locks.PI4J
                    ? gpioLocks(config, signals, drivers, description)
                    : simulatedLocks(config, signals, description);
            Gnss gnss = gnss(config, drivers, description);
            Optional<CanBus> canBus = can(config, signals, drivers, description);
            Optional<SupplyVoltage> supply = supply(config, drivers, description);
            Optional<BleKeyLink> ble = ble(config.keyReaders(), drivers, description);
            Optional<BarcodeScanner> qr = qr(config.keyReaders(), drivers, description);
            Optional<io.latchkey.hal.time.Rtc> rtc = rtc(config.keyReaders(), description);
            return new Hardware(locks.doorLocks(), locks.immobiliser(), gnss, signals, canBus, supply, locks.statusLed(),
                    drivers, description, ble, qr, rtc);
        } catch (RuntimeException e) {
            closeAll(drivers);
            throw e;
        }
    }

    /** The BLE GATT peripheral for offline keys: BlueZ registers when the agent starts (and fails it if it cannot). */
    private static Optional<BleKeyLink> ble(HardwareConfig.KeyReaders keys, List<AutoCloseable> drivers, List<String> description) {
        switch (keys.ble()) {
            case BLUEZ: {
                DbusBluezKeyLink link = new DbusBluezKeyLink(keys.bleAdapter());
                drivers.add(link);
                description.add("offline keys BLE: BlueZ GATT on " + keys.bleAdapter());
                return Optional.of(link);
            }
            case SIMULATED:
                description.add("offline keys BLE: SIMULATED link");
                return Optional.of(new SimulatedBleKeyLink());
            default:
                description.add("offline keys BLE: none");
                return Optional.empty();
        }
    }

    /** The hardware RTC, the offline keys' time source where one is fitted (docs/offline-keys.md §7). */
    private Optional<io.latchkey.hal.time.Rtc> rtc(HardwareConfig.KeyReaders keys, List<String> description) {
        switch (keys.rtc()) {
            case LINUX: {
                io.latchkey.hal.time.linux.LinuxRtc rtc = io.latchkey.hal.time.linux.LinuxRtc.open(keys.rtcDevice());
                description.add("car time: hardware RTC " + rtc.name());
                return Optional.of(rtc);
            }
            case SIMULATED:
                description.add("car time: SIMULATED RTC");
                return Optional.of(new io.latchkey.hal.time.SimulatedRtc(System::nanoTime));
            default:
                description.add("car time: no hardware RTC");
                return Optional.empty();
        }
    }

    /** The windscreen QR scanner: a serial line reader on its own thread. */
    private static Optional<BarcodeScanner> qr(HardwareConfig.KeyReaders keys, List<AutoCloseable> drivers, List<String> description) {
        switch (keys.qr()) {
            case SERIAL: {
                SerialBarcodeScanner scanner = SerialBarcodeScanner.onPort(keys.qrPort(), keys.qrBaud());
                drivers.add(scanner);
                scanner.start();
                description.add("offline keys QR: serial scanner on " + keys.qrPort() + " at " + keys.qrBaud() + " baud");
                return Optional.of(scanner);
            }
            case HID: {
                java.nio.file.Path device = java.nio.file.Path.of(keys.qrHidDevice());
                int size = io.latchkey.hal.key.hid.EvdevKeyText.nativeEventSize();
                SerialBarcodeScanner scanner = new SerialBarcodeScanner(keys.qrHidDevice(),
                        () -> new io.latchkey.hal.key.hid.EvdevKeyText(java.nio.file.Files.newInputStream(device), size),
                        d -> Thread.sleep(d.toMillis()));
                drivers.add(scanner);
                scanner.start();
                description.add("offline keys QR: USB-HID scanner on " + keys.qrHidDevice());
                return Optional.of(scanner);
            }
            case SIMULATED:
                description.add("offline keys QR: SIMULATED scanner");
                return Optional.of(new SimulatedBarcodeScanner());
            default:
                description.add("offline keys QR: none");
                return Optional.empty();
        }
    }

    /** What the lock wiring gives: the door locks, the immobiliser relay if fitted, the status LED line if wired. */
    private record Locks(DoorLocks doorLocks, Optional<Immobiliser> immobiliser, Optional<DigitalOutput> statusLed) {
    }

    private Locks gpioLocks(HardwareConfig config, MutableVehicleSignals signals, List<AutoCloseable> drivers,
                            List<String> description) {
        Pi4jGpio gpio = gpioSource.get();
        drivers.add(gpio);
        DoorLocks locks = new RelayDoorLocks(gpio.output(HardwareConfig.UNLOCK_RELAY, config.pins().get(HardwareConfig.UNLOCK_RELAY)),
                gpio.output(HardwareConfig.LOCK_RELAY, config.pins().get(HardwareConfig.LOCK_RELAY)),
                gpio.input(HardwareConfig.LOCKED_FEEDBACK, config.pins().get(HardwareConfig.LOCKED_FEEDBACK)),
                config.lockPulse(), RelayDoorLocks.Pause.THREAD_SLEEP);
        Optional<Immobiliser> immobiliser = Optional.empty();
        if (config.pin(HardwareConfig.IMMOBILISER_RELAY).isPresent()) {
            Optional<DigitalInput> cut = config.pin(HardwareConfig.IMMOBILISER_FEEDBACK)
                    .map(p -> gpio.input(HardwareConfig.IMMOBILISER_FEEDBACK, p));
            immobiliser = Optional.of(new RelayImmobiliser(
                    gpio.output(HardwareConfig.IMMOBILISER_RELAY, config.pins().get(HardwareConfig.IMMOBILISER_RELAY)), cut));
        }
        bindInput(gpio, config, HardwareConfig.IGNITION, Vss.IGNITION_ON, signals);
        bindInput(gpio, config, HardwareConfig.KEY_IN_HOLDER, AgentSignals.KEY_IN_HOLDER, signals);
        bindInput(gpio, config, HardwareConfig.TAMPER, AgentSignals.TAMPERED, signals);
        bindInput(gpio, config, HardwareConfig.DOOR_CONTACT, Vss.DRIVER_DOOR_OPEN, signals);
        Optional<DigitalOutput> led = config.statusLed() == HardwareConfig.StatusLed.GPIO
                ? Optional.of(gpio.output(HardwareConfig.STATUS_LED, config.pins().get(HardwareConfig.STATUS_LED)))
                : Optional.empty();
        description.add("locks: Pi4J/gpiod relays " + config.pins() + ", pulse " + config.lockPulse().toMillis() + " ms"
                + (immobiliser.isPresent() ? ", immobiliser relay" : ", no immobiliser relay"));
        return new Locks(locks, immobiliser, led);
    }

    private static Locks simulatedLocks(HardwareConfig config, MutableVehicleSignals signals, List<String> description) {
        SimulatedCentralLocking wiring = new SimulatedCentralLocking(true,
                () -> signals.value(Vss.DRIVER_DOOR_OPEN).orElse(0.0) >= 0.5);
        DoorLocks locks = wiring.doorLocks(config.lockPulse());
        Optional<Immobiliser> immobiliser = Optional.of(new RelayImmobiliser(new io.latchkey.hal.gpio.SimulatedDigitalOutput("immobiliser-relay")));
        signals.update(Vss.SPEED, 0);
        signals.update(Vss.IGNITION_ON, 0);
        // the simulated door contact, closed: the car the agent's checks see is parked and shut
        signals.update(Vss.DRIVER_DOOR_OPEN, 0);
        description.add("locks: SIMULATED central locking and immobiliser");
        return new Locks(locks, immobiliser, Optional.empty());
    }

    private static Optional<SupplyVoltage> supply(HardwareConfig config, List<AutoCloseable> drivers, List<String> description) {
        if (config.power() == HardwareConfig.Power.ADS1115) {
            io.latchkey.hal.power.ads1115.Ads1115Settings a = config.ads1115();
            io.latchkey.hal.power.ads1115.Ads1115I2c chip = io.latchkey.hal.power.ads1115.Ads1115I2c.open(a);
            drivers.add(chip);
            io.latchkey.hal.power.ads1115.Ads1115SupplyVoltage supply = new io.latchkey.hal.power.ads1115.Ads1115SupplyVoltage(chip.i2c(), a);
            description.add(String.format("supply voltage: ADS1115 at 0x%02x on /dev/i2c-%d, AIN%d, ±%s V, divider %.0f/%.0f Ω"
                    + " (up to %.1f V), calibration %s", a.address(), a.bus(), a.channel(), a.gain().fullScale, a.dividerTop(),
                    a.dividerBottom(), a.maxVolts(3.3), a.calibration()));
            return Optional.of(supply);
        }
        if (config.power() == HardwareConfig.Power.SIMULATED) {
            description.add("supply voltage: SIMULATED " + config.simulatedVolts() + " V");
            return Optional.of(new SimulatedSupplyVoltage(config.simulatedVolts()));
        }
        description.add("supply voltage: none (no battery protection)");
        return Optional.empty();
    }

    private static void bindInput(Pi4jGpio gpio, HardwareConfig config, String line, String signal, MutableVehicleSignals signals) {
        config.pin(line).ifPresent(p -> InputSignals.bind(gpio.input(line, p), signal, signals));
    }

    private Gnss gnss(HardwareConfig config, List<AutoCloseable> drivers, List<String> description) {
        switch (config.gnss()) {
            case SERIAL: {
                NmeaGnss nmea = new NmeaGnss(e -> LOG.debug("GNSS: rejected line: {}", e.getMessage()));
                SerialNmeaReader reader = new SerialNmeaReader(config.serialPort(),
                        new JSerialCommPort(config.serialPort(), config.serialBaud()), nmea,
                        Duration.ofSeconds(1), Duration.ofSeconds(30), d -> Thread.sleep(d.toMillis()));
                reader.start();
                drivers.add(reader);
                description.add("gnss: NMEA on " + config.serialPort() + " at " + config.serialBaud() + " baud");
                return nmea;
            }
            case GPSD: {
                GpsdGnss gpsd = new GpsdGnss(new InetSocketAddress(config.gpsdHost(), config.gpsdPort()),
                        Duration.ofSeconds(1), Duration.ofSeconds(30));
                gpsd.start();
                drivers.add(gpsd);
                description.add("gnss: gpsd at " + config.gpsdHost() + ":" + config.gpsdPort());
                return gpsd;
            }
            default:
                description.add("gnss: SIMULATED fixed position " + config.simulatedLat() + "," + config.simulatedLon());
                return new FixedGnss(config.simulatedLat(), config.simulatedLon(), clock);
        }
    }

    private Optional<CanBus> can(HardwareConfig config, MutableVehicleSignals signals, List<AutoCloseable> drivers,
                                 List<String> description) {
        if (config.can() == Can.NONE) {
            description.add("can: none (speed from GNSS)");
            return Optional.empty();
        }
        CanVehicleSignals decoder = decoder(config, signals);
        CanBus bus;
        if (config.can() == Can.SOCKETCAN) {
            bus = SocketCanBus.open(config.canInterface(), clock);
            description.add("can: SocketCAN " + config.canInterface() + ", profile " + config.canProfile().orElseThrow());
        } else {
            SimulatedCanBus replayBus = new SimulatedCanBus(clock);
            bus = replayBus;
            Path log = config.canReplayFile().orElseThrow();
            if (!Files.isReadable(log)) {
                throw new HalException("hardware.can.replay.file: cannot read " + log);
            }
            Thread replay = new Thread(() -> replay(replayBus, log, config.canReplaySpeed()), "candump-replay");
            replay.setDaemon(true);
            replay.start();
            description.add("can: REPLAY of " + log + " at x" + config.canReplaySpeed() + ", profile " + config.canProfile().orElseThrow());
        }
        bus.addListener(decoder);
        drivers.add(bus);
        return Optional.of(bus);
    }

    private static void replay(SimulatedCanBus bus, Path log, double speed) {
        try (Reader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            long frames = new CandumpReplay(bus, CandumpReplay.Pause.SLEEP, speed,
                    e -> LOG.debug("candump replay: {}", e.getMessage())).replay(r);
            LOG.info("candump replay of {} finished: {} frames", log, frames);
        } catch (IOException e) {
            LOG.warn("candump replay of {} failed: {}", log, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A built-in profile by name, or a profile file with its DBC ({@code hardware.can.dbc}). */
    static CanVehicleSignals decoder(HardwareConfig config, MutableVehicleSignals signals) {
        String name = config.canProfile().orElseThrow();
        if (VehicleProfile.BUILT_IN.contains(name)) {
            VehicleProfile profile = VehicleProfile.builtIn(name);
            DbcDatabase dbc = config.canDbc().map(HardwareFactory::loadDbc).orElseGet(profile::builtInDbc);
            return new CanVehicleSignals(dbc, profile, signals);
        }
        Path file = Path.of(name);
        if (config.canDbc().isEmpty()) {
            throw new HalException("hardware.can.dbc is required with a profile file (" + name + "); built-in profiles: "
                    + VehicleProfile.BUILT_IN);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new CanVehicleSignals(loadDbc(config.canDbc().get()), VehicleProfile.read(in, name), signals);
        } catch (IOException e) {
            throw new HalException("hardware.can.profile: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DbcDatabase loadDbc(Path path) {
        try {
            return DbcDatabase.load(path);
        } catch (IOException e) {
            throw new HalException("hardware.can.dbc: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static void closeAll(List<AutoCloseable> drivers) {
        for (AutoCloseable d : drivers) {
            try {
                d.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", d, e.toString());
            }
        }
    }
}
