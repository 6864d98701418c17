package io.latchkey.agent.hardware.socketcan;

import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.can.CanException;
import io.latchkey.hal.can.CanFrame;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tel.schich.javacan.CanChannels;
import tel.schich.javacan.NetworkDevice;
import tel.schich.javacan.RawCanChannel;

/**
 * hal's {@link CanBus} on a Linux SocketCAN interface ({@code can0}) through a javacan raw channel. One
 * daemon thread blocks in {@code read()} and hands each frame, stamped with the injected clock, to the
 * listeners in arrival order. The interface must be up ({@code ip link set can0 up type can bitrate 500000}).
 */
public final class SocketCanBus implements CanBus {
    private static final Logger LOG = LoggerFactory.getLogger(SocketCanBus.class);

    private final String interfaceName;
    private final RawCanChannel channel;
    private final Clock clock;
    private final List<Consumer<CanFrame>> listeners = new CopyOnWriteArrayList<>();
    private final Thread receiver;
    private volatile boolean closed;

    private SocketCanBus(String interfaceName, RawCanChannel channel, Clock clock) {
        this.interfaceName = interfaceName;
        this.channel = channel;
        this.clock = clock;
        this.receiver = new Thread(this::receive, "socketcan-" + interfaceName);
        this.receiver.setDaemon(true);
    }

    /** Binds a raw socket to {@code interfaceName} and starts receiving. */
    public static SocketCanBus open(String interfaceName, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        try {
            RawCanChannel ch = CanChannels.newRawChannel();
            ch.bind(NetworkDevice.lookup(interfaceName));
            SocketCanBus bus = new SocketCanBus(interfaceName, ch, clock);
            bus.receiver.start();
            return bus;
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new CanException("cannot open SocketCAN interface " + interfaceName
                    + " (is it up, and does this kernel have can/can-raw?): " + e, e);
        }
    }

    private void receive() {
        while (!closed) {
            try {
                SocketCanFrames.toHal(channel.read(), clock.instant()).ifPresent(this::deliver);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: receive failed: {}", interfaceName, e.toString());
                    sleepQuietly();
                }
            }
        }
    }

    private void deliver(CanFrame frame) {
        for (Consumer<CanFrame> l : listeners) {
            try {
                l.accept(frame);
            } catch (RuntimeException e) {
                LOG.warn("{}: listener failed on {}: {}", interfaceName, frame, e.toString());
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void send(CanFrame frame) {
        if (closed) {
            throw new CanException(interfaceName + " is closed");
        }
        try {
            channel.write(SocketCanFrames.toSocketCan(frame));
        } catch (IOException e) {
            throw new CanException(interfaceName + ": cannot send " + frame + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void addListener(Consumer<CanFrame> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close: {}", interfaceName, e.toString());
        }
        receiver.interrupt();
    }
}
