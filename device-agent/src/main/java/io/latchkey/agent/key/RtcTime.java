package io.latchkey.agent.key;

import io.latchkey.hal.HalException;
import io.latchkey.hal.Registration;
import io.latchkey.hal.time.Rtc;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.CarTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hardware RTC as a source of the car's time (docs/offline-keys.md §7): its reading is {@code TRUSTED} only if
 * <em>this car set it from a trusted source since it last lost power</em>. So:
 * <ul>
 * <li>while the car's clock is trusted from another source (GNSS, a verified command), {@link #sync()} writes that time
 *     to the RTC and records the instant it did ({@code data.dir/keys/rtc.json}); never from the RTC itself, so a
 *     drifting RTC cannot vouch for itself;</li>
 * <li>at start, {@link #apply()} believes the RTC if it reads a valid time (a chip that lost power and flags it reads
 *     none), the car has such a record, and the reading is not before the recorded instant nor before the car's
 *     lower bound (less {@link CarTime#SKEW}): an RTC that went back lost power without flagging it (it restarted from
 *     its epoch) or was tampered with. Anything else is logged and the RTC is not used; the clock stays as it was.</li>
 * </ul>
 */
public final class RtcTime {
    public static final String SOURCE = "RTC";
    static final String FILE = "rtc.json";
    private static final Logger LOG = LoggerFactory.getLogger(RtcTime.class);

    /** What {@link #apply()} decided. */
    public enum Decision { TRUSTED, ALREADY_TRUSTED, NO_TIME, NEVER_SET, WENT_BACK, UNREADABLE }

    /** What rtc.json holds: when this car last set the RTC from a trusted source. */
    public record Record(Instant setAt) {
    }

    private final Rtc rtc;
    private final CarClock clock;
    private final Path file;

    /** @param dataDir the agent's {@code data.dir}; the record is kept beside the keys' state */
    public RtcTime(Rtc rtc, CarClock clock, Path dataDir) {
        this.rtc = Objects.requireNonNull(rtc, "rtc");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.file = dataDir.resolve(KeyStateFile.DIR).resolve(FILE);
    }

    /** Takes the RTC's time if it may be trusted (see the class); call once the persisted lower bound is applied. */
    public Decision apply() {
        if (clock.trustedSource() != null) {
            return Decision.ALREADY_TRUSTED; // a better source came first: the RTC is only written
        }
        Optional<Instant> reading;
        try {
            reading = rtc.read();
        } catch (HalException e) {
            LOG.warn("car time: the RTC {} cannot be read ({}); not used", rtc.name(), e.getMessage());
            return Decision.UNREADABLE;
        }
        if (reading.isEmpty()) {
            LOG.warn("car time: the RTC {} holds no valid time (it lost power); not used until the car sets it", rtc.name());
            return Decision.NO_TIME;
        }
        Record record = record();
        if (record == null) {
            LOG.warn("car time: the RTC {} says {}, but this car never set it from a trusted source; not used", rtc.name(), reading.get());
            return Decision.NEVER_SET;
        }
        Instant floor = record.setAt();
        Instant bound = clock.bound();
        if (bound != null && bound.isAfter(floor)) {
            floor = bound;
        }
        if (reading.get().isBefore(floor.minus(CarTime.SKEW))) {
            LOG.warn("car time: the RTC {} says {}, before {} the car knew: it lost power or was reset; not used",
                    rtc.name(), reading.get(), floor);
            return Decision.WENT_BACK;
        }
        clock.trusted(reading.get(), SOURCE, CarTime.SKEW);
        return clock.now().confidence() == CarTime.Confidence.TRUSTED ? Decision.TRUSTED : Decision.WENT_BACK;
    }

    /**
     * Writes the car's trusted time to the RTC and records it, if the time is trusted from a source other than the RTC.
     *
     * @return whether it did
     */
    public boolean sync() {
        String source = clock.trustedSource();
        if (source == null || SOURCE.equals(source)) {
            return false;
        }
        Instant now = clock.now().now();
        try {
            rtc.set(now);
        } catch (HalException e) {
            LOG.warn("car time: the RTC {} could not be set ({})", rtc.name(), e.getMessage());
            return false;
        }
        write(new Record(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        return true;
    }

    /**
     * {@link #apply()} now, then {@link #sync()} every {@code every}; closing the registration stops the syncing after
     * one last {@link #sync()} (the agent stops: the RTC gets the time it then trusts).
     */
    public Registration start(ScheduledExecutorService scheduler, Duration every) {
        Decision decision = apply();
        LOG.info("car time: hardware RTC {}: {}", rtc.name(), decision);
        ScheduledFuture<?> task = scheduler.scheduleWithFixedDelay(() -> {
            try {
                sync();
            } catch (RuntimeException e) {
                LOG.warn("car time: RTC sync failed: {}", e.toString());
            }
        }, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
        return () -> {
            task.cancel(false);
            try {
                sync();
            } catch (RuntimeException e) {
                LOG.warn("car time: RTC sync at stop failed: {}", e.toString());
            }
        };
    }

    private Record record() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Record r = Json.read(Files.readAllBytes(file), Record.class);
            return r == null || r.setAt() == null ? null : r;
        } catch (IOException | RuntimeException e) {
            LOG.warn("car time: {} unreadable ({}); the RTC is taken as never set", file, e.toString());
            return null;
        }
    }

    private void write(Record record) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.write(tmp, Json.write(record));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
