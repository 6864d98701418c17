package io.latchkey.hal.vehicle;

/** The COVESA Vehicle Signal Specification names the agent understands. */
public final class Vss {
    public static final String SPEED = "Vehicle.Speed";
    public static final String TRAVELED_DISTANCE = "Vehicle.TraveledDistance";
    public static final String FUEL_LEVEL = "Vehicle.Powertrain.FuelSystem.RelativeLevel";
    public static final String BATTERY_SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    public static final String DRIVER_DOOR_OPEN = "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen";
    public static final String PASSENGER_DOOR_OPEN = "Vehicle.Cabin.Door.Row1.PassengerSide.IsOpen";
    public static final String REAR_LEFT_DOOR_OPEN = "Vehicle.Cabin.Door.Row2.DriverSide.IsOpen";
    public static final String REAR_RIGHT_DOOR_OPEN = "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen";
    public static final String TRUNK_OPEN = "Vehicle.Body.Trunk.Rear.IsOpen";
    public static final String IS_LOCKED = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked";
    public static final String IGNITION_ON = "Vehicle.LowVoltageSystemState";
    public static final String ENGINE_SPEED = "Vehicle.Powertrain.CombustionEngine.Speed";
    public static final String SUPPLY_VOLTAGE = "Vehicle.LowVoltageBattery.CurrentVoltage";

    private Vss() {
    }
}
