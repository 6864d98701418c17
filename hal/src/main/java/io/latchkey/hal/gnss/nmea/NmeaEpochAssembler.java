package io.latchkey.hal.gnss.nmea;

import io.latchkey.hal.gnss.GnssFix;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Groups sentences into receiver cycles and reports one {@link NmeaEpoch} per cycle, where gpsd
 * reports a TPV after almost every sentence.
 *
 * <p>A cycle ends when a sentence carries a different UTC time, or when a sentence type that carries
 * time (RMC, GGA, GLL, ZDA) repeats, which is how cycles are told apart while a receiver leaves its time
 * fields empty. Waiting for the next cycle would delay every report by a whole cycle, so, like gpsd,
 * the assembler learns the type of the last sentence of a cycle and reports as soon as that type
 * arrives. Sentences of the same cycle that still follow (a receiver whose order varies) update the
 * report, which is then sent again when the cycle ends.
 *
 * <p>Dates come from RMC or ZDA in the same cycle; a cycle without one takes the previous date, and the
 * next day when the time of day went back by more than twelve hours (midnight), not for smaller steps
 * backwards (a receiver restarting, or captures joined together).
 *
 * <p>Not thread-safe: feed it from one thread.
 */
public final class NmeaEpochAssembler {
    private static final int HALF_DAY_SECONDS = 12 * 3600;

    private final Consumer<NmeaEpoch> sink;
    private EpochState current = new EpochState();
    private boolean unreported;
    private String cycleEnder;
    private LocalDate lastDate;
    private LocalTime lastTime;

    public NmeaEpochAssembler(Consumer<NmeaEpoch> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public void accept(NmeaSentence sentence) {
        if (sentence instanceof NmeaSentence.Other) {
            return;
        }
        boolean timed = carriesTime(sentence);
        if (timed && startsNewCycle(sentence)) {
            finishCycle();
        }
        if (timed) {
            if (!current.timeKnown) {
                current.timeKnown = true;
                current.time = timeOf(sentence);
            }
            current.timedTypes.add(sentence.type());
        }
        current.apply(sentence);
        unreported = true;
        if (sentence.type().equals(cycleEnder)) {
            report();
        }
    }

    /** Reports the cycle in progress if it has news: at the end of input, or when a simulator has sent a whole cycle. */
    public void flush() {
        if (unreported) {
            report();
        }
    }

    private boolean startsNewCycle(NmeaSentence sentence) {
        if (current.lastType == null) {
            return false;
        }
        boolean otherTime = current.timeKnown && !Objects.equals(current.time, timeOf(sentence));
        return otherTime || current.timedTypes.contains(sentence.type());
    }

    private void finishCycle() {
        if (unreported) {
            report();
        }
        cycleEnder = current.lastType;
        current = new EpochState();
    }

    private void report() {
        unreported = false;
        LocalDate date = current.date != null ? current.date : carriedOverDate(current.time);
        Instant instant = date != null && current.time != null ? date.atTime(current.time).toInstant(ZoneOffset.UTC) : null;
        if (date != null) {
            lastDate = date;
        }
        if (current.time != null) {
            lastTime = current.time;
        }
        GnssFix fix = current.toFix(instant);
        sink.accept(new NmeaEpoch(current.time, fix));
    }

    private LocalDate carriedOverDate(LocalTime time) {
        if (lastDate == null || time == null || lastTime == null) {
            return lastDate;
        }
        boolean pastMidnight = lastTime.toSecondOfDay() - time.toSecondOfDay() > HALF_DAY_SECONDS;
        return pastMidnight ? lastDate.plusDays(1) : lastDate;
    }

    private static boolean carriesTime(NmeaSentence s) {
        return s instanceof NmeaSentence.Rmc || s instanceof NmeaSentence.Gga || s instanceof NmeaSentence.Gll
                || s instanceof NmeaSentence.Zda;
    }

    private static LocalTime timeOf(NmeaSentence s) {
        if (s instanceof NmeaSentence.Rmc rmc) {
            return rmc.time();
        }
        if (s instanceof NmeaSentence.Gga gga) {
            return gga.time();
        }
        if (s instanceof NmeaSentence.Gll gll) {
            return gll.time();
        }
        return s instanceof NmeaSentence.Zda zda ? zda.time() : null;
    }
}
