package io.latchkey.hal.can.socketcan;

import io.latchkey.hal.Registration;

import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.can.CanException;
import io.latchkey.hal.can.CanFrame;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tel.schich.javacan.CanChannels;
import tel.schich.javacan.NetworkDevice;
import tel.schich.javacan.RawCanChannel;

/**
 * A Linux SocketCAN interface ({@code can0}) through javacan's raw CAN socket. A daemon thread reads
 * frames and hands them to the listeners, stamped with the receive time. Error and CAN FD frames are
 * dropped. The interface must be up ({@code ip link set can0 up type can bitrate 500000}).
 */
public final class SocketCanBus implements CanBus {
    private static final Logger LOG = LoggerFactory.getLogger(SocketCanBus.class);

    private final String interfaceName;
    private final RawCanChannel channel;
    private final Clock clock;
    private final List<Consumer<CanFrame>> listeners = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    private SocketCanBus(String interfaceName, RawCanChannel channel, Clock clock) {
        this.interfaceName = interfaceName;
        this.channel = channel;
        this.clock = clock;
        this.reader = new Thread(this::readLoop, "socketcan-" + interfaceName);
        this.reader.setDaemon(true);
    }

    /**
     * Opens and binds a raw CAN socket on the interface and starts reading.
     *
     * @throws CanException if the platform has no SocketCAN, the interface does not exist, or the socket
     *                      cannot be opened
     */
    public static SocketCanBus open(String interfaceName, Clock clock) {
        RawCanChannel channel = null;
        try {
            channel = CanChannels.newRawChannel();
            channel.bind(NetworkDevice.lookup(interfaceName));
            SocketCanBus bus = new SocketCanBus(interfaceName, channel, clock);
            bus.reader.start();
            return bus;
        } catch (IOException | RuntimeException | LinkageError e) {
            closeQuietly(channel);
            throw new CanException("cannot open SocketCAN interface " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void send(CanFrame frame) {
        if (closed) {
            throw new CanException(interfaceName + " is closed");
        }
        try {
            channel.write(SocketCanFrames.toKernel(frame));
        } catch (IOException e) {
            throw new CanException("cannot send " + frame + " on " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Registration addListener(Consumer<CanFrame> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
        reader.interrupt();
    }

    private void readLoop() {
        while (!closed) {
            tel.schich.javacan.CanFrame received;
            try {
                received = channel.read();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("reading {} failed, reception stops", interfaceName, e);
                }
                return;
            }
            CanFrame frame = SocketCanFrames.fromKernel(received, clock.instant());
            if (frame != null) {
                deliver(frame);
            }
        }
    }

    private void deliver(CanFrame frame) {
        for (Consumer<CanFrame> l : listeners) {
            try {
                l.accept(frame);
            } catch (RuntimeException e) {
                LOG.warn("CAN listener failed on {}", frame, e);
            }
        }
    }

    private static void closeQuietly(RawCanChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing CAN channel", e);
        }
    }
}
