package io.latchkey.hal.gnss;

import io.latchkey.hal.Registration;

import java.util.Optional;
import java.util.function.Consumer;

/** A position source: an NMEA receiver on a serial port, gpsd, or the simulator. */
public interface Gnss {
    /** The most recent report, with or without a fix; empty before the first one. */
    Optional<GnssFix> latest();

    /** Called for every new report. */
    Registration addListener(Consumer<GnssFix> listener);
}
