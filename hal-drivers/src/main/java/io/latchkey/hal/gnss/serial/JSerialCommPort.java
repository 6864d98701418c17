package io.latchkey.hal.gnss.serial;

import io.latchkey.hal.serial.SerialPorts;
import java.io.IOException;
import java.io.InputStream;

/** Opens a serial receiver (8N1 at the given baud rate); reads block until data arrives, at most 10 s. */
public final class JSerialCommPort implements SerialNmeaReader.PortOpener {
    private final String portName;
    private final int baud;

    public JSerialCommPort(String portName, int baud) {
        this.portName = portName;
        this.baud = baud;
    }

    @Override
    public InputStream open() throws IOException {
        // a generous timeout: a silent receiver reads as a timeout, reported as an error
        return SerialPorts.open(portName, baud, 10_000);
    }
}
