package io.latchkey.simulator.car;

/** What moves the car, and so which energy level it reports and how fast it falls with distance. */
public enum Powertrain {
    /** About 7 l/100 km from a 50 l tank. */
    COMBUSTION(0.14),
    /** About 15 kWh/100 km from a 75 kWh battery. */
    ELECTRIC(0.20);

    private final double percentPerKm;

    Powertrain(double percentPerKm) {
        this.percentPerKm = percentPerKm;
    }

    public double percentPerKm() {
        return percentPerKm;
    }
}
