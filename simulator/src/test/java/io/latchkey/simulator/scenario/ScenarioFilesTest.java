package io.latchkey.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScenarioFilesTest {
    private static ScenarioSpec read(String text) throws Exception {
        return ScenarioFiles.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"morning-rush", "underground-car-park", "reboot-storm", "ci-short", "full-day", "ci-rentals"})
    void everyBuiltInScenario_loadsAndValidates(String name) {
        ScenarioSpec spec = ScenarioFiles.load(name);

        assertThat(spec.name()).isEqualTo(name);
    }

    @Test
    void json_isReadToo_andAbsentValuesTakeDefaults() throws Exception {
        ScenarioSpec spec = read("{\"name\":\"j\",\"cars\":3,\"faults\":[{\"type\":\"connectivity-loss\",\"atSeconds\":5,\"forSeconds\":10}]}");

        assertThat(spec.cars()).isEqualTo(3);
        assertThat(spec.durationSeconds()).isEqualTo(60);
        assertThat(spec.faults().get(0).type()).isEqualTo(FaultSpec.Type.CONNECTIVITY_LOSS);
        assertThat(spec.faults().get(0).cars()).isEqualTo("all");
    }

    @Test
    void anUnknownKey_isRefusedWithItsLine() {
        assertThatThrownBy(() -> read("name: x\ncars: 2\nspeed: 3\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("test.yaml").hasMessageContaining("line ")
                .hasMessageContaining("speed");
    }

    @Test
    void anUnknownFaultType_namesTheKnownOnes() {
        assertThatThrownBy(() -> read("faults:\n  - {type: meteor, atSeconds: 1}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("meteor").hasMessageContaining("connectivity-loss");
    }

    @Test
    void aFaultAfterTheEnd_isRefused() {
        assertThatThrownBy(() -> read("durationSeconds: 10\nfaults:\n  - {type: gnss-lost, atSeconds: 20}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("faults[0].atSeconds");
    }

    @Test
    void carSelectors_pickCountsSharesAndRanges_reproducibly() {
        assertThat(CarSelector.parse("all", "c").pick(4, new SplittableRandom(1))).containsExactly(0, 1, 2, 3);
        assertThat(CarSelector.parse("2-4", "c").pick(10, new SplittableRandom(1))).containsExactly(2, 3, 4);
        assertThat(CarSelector.parse("25%", "c").pick(8, new SplittableRandom(1))).hasSize(2);
        assertThat(CarSelector.parse("3", "c").pick(10, new SplittableRandom(9)))
                .isEqualTo(CarSelector.parse("3", "c").pick(10, new SplittableRandom(9)));
        assertThatThrownBy(() -> CarSelector.parse("some", "faults[0].cars")).hasMessageContaining("faults[0].cars");
    }

    @Test
    void rentals_takeDefaults_andFullDayAsksForEveryOutcome() throws Exception {
        ScenarioSpec none = read("name: r\ncars: 3\n");
        assertThat(none.rentals().any()).isFalse();
        ScenarioSpec some = read("cars: 10\nrentals:\n  renters: 2\n");
        assertThat(some.rentals().bookingSeconds()).isEqualTo(90);
        assertThat(some.rentals().immediateShare()).isEqualTo(0.3);
        assertThat(some.rentals().openDoorShare()).isEqualTo(0.3);
        assertThat(some.rentals().cars()).isEqualTo(2);

        ScenarioSpec day = ScenarioFiles.load("full-day");
        assertThat(day.cars()).isEqualTo(200);
        assertThat(day.rentals().renters()).isPositive();
        assertThat(day.rentals().noShows()).isPositive();
        assertThat(day.rentals().overdue()).isPositive();
        assertThat(day.rentals().immobiliseDrills()).isPositive();
        assertThat(day.rentals().openDoorShare()).isPositive();
        assertThat(day.rentals().immediateShare()).isPositive();
    }

    @Test
    void rentals_thatNeedMoreCarsThanTheFleet_orBadShares_areRefused() {
        assertThatThrownBy(() -> read("cars: 5\npeople: {borrowers: 2}\nrentals: {renters: 2, noShows: 1, overdue: 1}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("need a car each: 6 > cars (5)");
        assertThatThrownBy(() -> read("cars: 5\nrentals: {renters: 1, openDoorShare: 1.5}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("rentals.openDoorShare");
        assertThatThrownBy(() -> read("cars: 5\nrentals: {renters: 1, tripSeconds: 30, bookingSeconds: 40}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("rentals.bookingSeconds");
        assertThatThrownBy(() -> read("cars: 5\npeople: {operators: 0}\nrentals: {overdue: 1}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("operator");
        assertThatThrownBy(() -> read("cars: 5\nrentals: {renters: 1, speed: 2}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("speed");
    }
}
