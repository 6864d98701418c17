package io.latchkey.hal.gnss.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Opens a serial receiver with jSerialComm: 8N1 at the given baud rate, reads that block until data arrives. */
public final class JSerialCommPort implements SerialNmeaReader.PortOpener {
    private final String portName;
    private final int baud;

    public JSerialCommPort(String portName, int baud) {
        this.portName = portName;
        this.baud = baud;
    }

    @Override
    public InputStream open() throws IOException {
        SerialPort port = SerialPort.getCommPort(portName);
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        // Blocking reads with a generous timeout: a silent receiver reads as a timeout, reported as an error.
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_BLOCKING, 10_000, 0);
        if (!port.openPort()) {
            throw new IOException("cannot open serial port " + portName + " (error " + port.getLastErrorCode()
                    + "; does it exist, and is this user in the dialout group?)");
        }
        return new FilterInputStream(port.getInputStream()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    port.closePort();
                }
            }
        };
    }
}
