package io.latchkey.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHandleBudgetTest {
    @TempDir
    Path dir;

    private Path limits(String openFiles) throws Exception {
        return Files.writeString(dir.resolve("limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max cpu time              unlimited            unlimited            seconds
                %s
                Max processes             94567                94567                processes
                """.formatted(openFiles));
    }

    @Test
    void theSoftLimitIsRead_andAnUnlimitedOrMissingOneIsUnknown() throws Exception {
        assertThat(FileHandleBudget.softLimit(limits("Max open files            20000                20000                files")))
                .isEqualTo(OptionalLong.of(20_000));
        assertThat(FileHandleBudget.softLimit(limits("Max open files            unlimited            unlimited            files")))
                .isEmpty();
        assertThat(FileHandleBudget.softLimit(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void aFleetNeedsThreeAndAQuarterFilesPerCar_andTwoMoreThroughTheRelay() {
        assertThat(FileHandleBudget.needed(1_000, false)).isEqualTo(500 + 3_250);
        assertThat(FileHandleBudget.needed(1_000, true)).isEqualTo(500 + 5_250);
        // the limit met in a run: 6,267 cars started at 20,000 open files; the budget stops short of it
        assertThat(FileHandleBudget.needed(6_000, false)).isLessThanOrEqualTo(20_000);
        assertThat(FileHandleBudget.needed(6_267, false)).isGreaterThan(20_000);
    }

    @Test
    void aFleetBeyondThisProcessesLimit_isRefusedBeforeItStarts_withWhatToDo() {
        OptionalLong limit = FileHandleBudget.softLimit(Path.of("/proc/self/limits"));
        org.junit.jupiter.api.Assumptions.assumeTrue(limit.isPresent() && limit.getAsLong() < 1_000_000_000L,
                "no finite open-file limit to exceed here");
        int tooMany = (int) Math.min(Integer.MAX_VALUE, limit.getAsLong());

        assertThatThrownBy(() -> FileHandleBudget.require(tooMany, false))
                .isInstanceOf(FileHandleBudget.FleetTooLargeException.class)
                .hasMessageContaining("ulimit -n").hasMessageContaining("several simulator processes");
        FileHandleBudget.require(10, true); // a small fleet passes
    }
}
