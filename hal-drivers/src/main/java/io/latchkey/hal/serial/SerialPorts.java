package io.latchkey.hal.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A serial port opened with jSerialComm, 8N1, as the byte stream the line readers on it (the GNSS receiver's NMEA,
 * a barcode scanner's codes) consume; closing the stream releases the port.
 */
public final class SerialPorts {
    private SerialPorts() {
    }

    /**
     * @param readTimeoutMs how long a read blocks before it returns nothing: 0 blocks until data arrives (a scanner
     *                      is mostly silent), a generous timeout lets a silent receiver read as an error
     * @throws IOException naming the port and the likely causes when it cannot be opened
     */
    public static InputStream open(String portName, int baud, int readTimeoutMs) throws IOException {
        SerialPort port = SerialPort.getCommPort(portName);
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_BLOCKING, readTimeoutMs, 0);
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
