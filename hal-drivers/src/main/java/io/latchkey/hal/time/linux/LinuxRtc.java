package io.latchkey.hal.time.linux;

import io.latchkey.hal.HalException;
import io.latchkey.hal.time.Rtc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux RTC (an I2C chip with its kernel driver, e.g. {@code dtoverlay=i2c-rtc,ds3231}, or the Pi 5's own):
 * read from sysfs, {@code /sys/class/rtc/<device>/since_epoch} (seconds since 1970, UTC: the kernel converts), set
 * with util-linux's {@code hwclock --set --utc --date @<seconds> --rtc /dev/<device>}. A chip whose oscillator stopped
 * (power lost) makes the kernel refuse the read ({@code EINVAL}): that is "no time", not an error. Reading the
 * system clock is never involved (docs/offline-keys.md §7).
 */
public final class LinuxRtc implements Rtc {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxRtc.class);

    /** Sets the chip; {@link #HWCLOCK} on a car, a test's own in tests. */
    @FunctionalInterface
    public interface Setter {
        void set(Path deviceNode, Instant time) throws IOException;
    }

    /** util-linux's hwclock, with the time as seconds since the epoch in UTC (never the system clock). */
    public static final Setter HWCLOCK = (node, time) -> {
        Process p = new ProcessBuilder(List.of("hwclock", "--set", "--utc", "--date", "@" + time.getEpochSecond(),
                "--rtc", node.toString())).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("hwclock did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the RTC", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException("hwclock exited with " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
        }
    };

    private final String device;
    private final Path sysfs;
    private final Path node;
    private final Setter setter;

    /**
     * @param device the RTC's name ({@code rtc0})
     * @param sysfs  its sysfs directory ({@code /sys/class/rtc/rtc0})
     * @param node   its device node ({@code /dev/rtc0})
     */
    public LinuxRtc(String device, Path sysfs, Path node, Setter setter) {
        this.device = device;
        this.sysfs = sysfs;
        this.node = node;
        this.setter = setter;
    }

    /**
     * The RTC {@code device} ({@code rtc0}) under {@code /sys/class/rtc}.
     *
     * @throws HalException if the kernel has no such RTC (no driver loaded: check the overlay in config.txt)
     */
    public static LinuxRtc open(String device) {
        if (!device.matches("rtc[0-9]+")) {
            throw new HalException("hardware.rtc.device must be rtc0, rtc1, ..., got " + device);
        }
        LinuxRtc rtc = new LinuxRtc(device, Path.of("/sys/class/rtc", device), Path.of("/dev", device), HWCLOCK);
        rtc.requirePresent();
        return rtc;
    }

    /** @throws HalException if the sysfs directory has no {@code since_epoch} (no such RTC) */
    public void requirePresent() {
        if (!Files.exists(sysfs.resolve("since_epoch"))) {
            throw new HalException("no RTC " + device + ": " + sysfs.resolve("since_epoch")
                    + " does not exist (is the RTC's driver loaded, e.g. dtoverlay=i2c-rtc,ds3231?)");
        }
    }

    @Override
    public Optional<Instant> read() {
        String text;
        try {
            text = Files.readString(sysfs.resolve("since_epoch"), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new HalException("the RTC " + device + " is gone (" + e.getFile() + ")", e);
        } catch (IOException e) {
            // the kernel refuses to read a time the chip flags as invalid (oscillator stopped): no time
            LOG.debug("RTC {}: no valid time ({})", device, e.toString());
            return Optional.empty();
        }
        if (!text.matches("[0-9]{1,12}")) {
            LOG.warn("RTC {}: since_epoch holds {} characters that are not a number of seconds; taken as no time", device, text.length());
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
    }

    @Override
    public void set(Instant time) {
        try {
            setter.set(node, time);
        } catch (IOException e) {
            throw new HalException("the RTC " + device + " could not be set: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        try {
            String chip = Files.readString(sysfs.resolve("name"), StandardCharsets.US_ASCII).strip();
            return chip.isEmpty() ? device : device + " (" + chip + ")";
        } catch (IOException e) {
            return device;
        }
    }
}
