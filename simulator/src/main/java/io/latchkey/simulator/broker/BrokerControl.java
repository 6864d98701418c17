package io.latchkey.simulator.broker;

/** A broker the simulator may stop and start (a broker-restart fault). */
public interface BrokerControl {
    void stop();

    void start();
}
