package io.latchkey.hal.gnss.nmea;

import io.latchkey.hal.gnss.GnssFix;
import java.time.LocalTime;

/**
 * One receiver cycle's report.
 *
 * @param utcTime the UTC time of day the sentences carried, even when no date is known yet (then
 *                {@code fix.time()} is null); null when the receiver left its time fields empty
 * @param fix     the report in gpsd's TPV terms
 */
public record NmeaEpoch(LocalTime utcTime, GnssFix fix) {
}
