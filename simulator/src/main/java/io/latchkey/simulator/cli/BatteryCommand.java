package io.latchkey.simulator.cli;

import io.latchkey.agent.power.PowerSettings;
import io.latchkey.agent.power.PowerState;
import io.latchkey.simulator.power.BatteryModel;
import io.latchkey.simulator.power.ParkedBattery;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "battery", mixinStandardHelpOptions = true,
        description = {"The car's battery comes first (docs/agent.md, power states): the agent's power policy against a",
                "battery model in simulated time, no backend needed. A car parked --days that must still start and be awake",
                "for its booking; the same car with an always-on kit; the parked drain per day in each power state; a fleet's",
                "time, charge and draw in each state. Exit code 0 only if the parked car is awake for its booking and starts."})
public final class BatteryCommand implements Callable<Integer> {
    @Option(names = "--days", defaultValue = "30", description = "days parked (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--fleet", defaultValue = "1000", description = "cars in the fleet part (default ${DEFAULT-VALUE})")
    int fleet;

    @Option(names = "--seed", defaultValue = "15", description = "random seed of the fleet's trips (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--capacity-ah", defaultValue = "60", description = "battery capacity, Ah (default ${DEFAULT-VALUE})")
    double capacityAh;

    @Option(names = "--car-ma", defaultValue = "30", description = "the car's own draw parked, mA (default ${DEFAULT-VALUE})")
    double carMa;

    @Option(names = "--device-ma", defaultValue = "NORMAL=90,ECONOMY=60,SLEEP=25,PROTECT=1", split = ",",
            description = "the device's draw per power state at 12 V, mA (default ${DEFAULT-VALUE})")
    Map<PowerState, Double> deviceMa;

    @Option(names = "--charge-a", defaultValue = "10", description = "charging current while driving, A (default ${DEFAULT-VALUE})")
    double chargeA;

    @Option(names = "--power", split = ",", description = "power.* settings as the agent reads them, e.g. power.sleep-after=1h")
    Map<String, String> power = Map.of();

    @Option(names = "--low-volts", defaultValue = "12.2", description = "hardware.power.low-volts (economy on a low battery; default ${DEFAULT-VALUE})")
    double lowVolts;

    @Override
    public Integer call() {
        if (days < 1 || fleet < 0) {
            System.err.println("battery: --days must be at least 1 and --fleet not negative");
            return 2;
        }
        BatteryModel.Spec spec;
        PowerSettings settings;
        try {
            spec = new BatteryModel.Spec(capacityAh, carMa, deviceMa, chargeA, 0.85);
            settings = PowerSettings.parse(power);
        } catch (RuntimeException e) {
            System.err.println("battery: " + e.getMessage());
            return 2;
        }
        ParkedBattery.Result result = new ParkedBattery(new ParkedBattery.Options(days, fleet, seed, spec, settings, lowVolts),
                System.out).run();
        return result.ok() ? 0 : 1;
    }
}
