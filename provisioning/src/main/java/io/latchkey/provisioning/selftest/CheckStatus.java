package io.latchkey.provisioning.selftest;

/** The outcome of one self-test check. */
public enum CheckStatus {
    PASS, FAIL
}
