package io.latchkey.cloud;

/** Something downstream (a car) did not answer in time (504). */
public class GatewayTimeoutException extends LatchkeyCloudException {
    public GatewayTimeoutException(String message) {
        super(message);
    }
}
