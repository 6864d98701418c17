package io.latchkey.hal.time.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.HalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinuxRtc} over a sysfs directory laid out as the kernel does ({@code since_epoch}, {@code name}), with the
 * file contents a Pi with a DS3231 shows; setting goes through a recorded setter instead of hwclock.
 */
class LinuxRtcTest {
    @TempDir
    Path sys;

    final List<String> set = new ArrayList<>();

    LinuxRtc rtc() {
        return new LinuxRtc("rtc0", sys, Path.of("/dev/rtc0"), (node, time) -> set.add(node + " " + time));
    }

    @Test
    void readsSecondsSinceTheEpoch_andNamesTheChip() throws IOException {
        Files.writeString(sys.resolve("since_epoch"), "1796400123\n");
        Files.writeString(sys.resolve("name"), "rtc-ds1307 1-0068\n");
        assertThat(rtc().read()).contains(Instant.ofEpochSecond(1796400123L));
        assertThat(rtc().name()).isEqualTo("rtc0 (rtc-ds1307 1-0068)");
    }

    @Test
    void aChipThatLostPower_readsNoTime_notAnError() throws IOException {
        // the kernel answers EINVAL on reading since_epoch of a chip whose oscillator stopped: an I/O error on read
        Files.createDirectory(sys.resolve("since_epoch"));
        assertThat(rtc().read()).isEqualTo(Optional.empty());
    }

    @Test
    void garbage_isNoTime() throws IOException {
        Files.writeString(sys.resolve("since_epoch"), "-5\n");
        assertThat(rtc().read()).isEmpty();
        Files.writeString(sys.resolve("since_epoch"), "");
        assertThat(rtc().read()).isEmpty();
    }

    @Test
    void aChipThatRestartedFromItsEpoch_isReadAsItIs_theAgentDecides() throws IOException {
        Files.writeString(sys.resolve("since_epoch"), "946684805\n");
        assertThat(rtc().read()).contains(Instant.parse("2000-01-01T00:00:05Z"));
    }

    @Test
    void noSuchRtc_isRefusedAtOpen_andAVanishedOneOnRead() {
        LinuxRtc missing = rtc();
        assertThatThrownBy(missing::requirePresent).isInstanceOf(HalException.class).hasMessageContaining("since_epoch does not exist");
        assertThatThrownBy(missing::read).isInstanceOf(HalException.class).hasMessageContaining("is gone");
        assertThatThrownBy(() -> LinuxRtc.open("../etc")).isInstanceOf(HalException.class).hasMessageContaining("rtc0");
    }

    @Test
    void setting_goesToTheDeviceNode_inWholeSeconds_andAFailureIsAHalException() {
        rtc().set(Instant.parse("2026-12-06T01:40:00Z"));
        assertThat(set).containsExactly("/dev/rtc0 2026-12-06T01:40:00Z");
        LinuxRtc failing = new LinuxRtc("rtc0", sys, Path.of("/dev/rtc0"), (node, time) -> {
            throw new IOException("hwclock exited with 1: ioctl(RTC_SET_TIME) to /dev/rtc0 failed");
        });
        assertThatThrownBy(() -> failing.set(Instant.now())).isInstanceOf(HalException.class).hasMessageContaining("RTC_SET_TIME");
    }
}
