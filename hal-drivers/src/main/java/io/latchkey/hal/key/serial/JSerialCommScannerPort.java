package io.latchkey.hal.key.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Opens a scanner's serial port with jSerialComm: 8N1, reads that block until a code arrives (a scanner is mostly silent). */
final class JSerialCommScannerPort {
    private JSerialCommScannerPort() {
    }

    static InputStream open(String portName, int baud) throws IOException {
        SerialPort port = SerialPort.getCommPort(portName);
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_BLOCKING, 0, 0);
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
