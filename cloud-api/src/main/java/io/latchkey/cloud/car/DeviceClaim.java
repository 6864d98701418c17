package io.latchkey.cloud.car;

/** Index document {@code devices/{deviceId}}: which car a device is fitted in. Its atomic creation keeps device ids unique. */
record DeviceClaim(String carId) {
}
