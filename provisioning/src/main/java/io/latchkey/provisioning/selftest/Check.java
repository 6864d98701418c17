package io.latchkey.provisioning.selftest;

/** One thing the installer must know works before leaving the car. */
public interface Check {
    String name();

    /** Runs the check; an exception counts as a failure with its message. */
    CheckResult run();
}
