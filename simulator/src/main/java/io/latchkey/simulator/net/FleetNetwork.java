package io.latchkey.simulator.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated cars' mobile network: a TCP relay on one loopback port in front of the broker, on one
 * thread (NIO) for the whole fleet. It tells connections apart by the MQTT client id in their CONNECT
 * packet, so faults can be aimed at single cars: {@link #blackout} cuts a car's connection (the broker
 * sees it drop without a goodbye and publishes the last will) and refuses new ones until
 * {@link #restore}, as in an underground car park. Bytes are relayed unchanged.
 */
public final class FleetNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetNetwork.class);
    private static final int BUFFER = 32 * 1024;

    private final InetSocketAddress upstream;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Link>> links = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;

    /** Starts relaying from a free loopback port to {@code brokerHost:brokerPort}. */
    public FleetNetwork(String brokerHost, int brokerPort) throws IOException {
        this.upstream = new InetSocketAddress(brokerHost, brokerPort);
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::loop, "fleet-network");
        thread.setDaemon(true);
        thread.start();
    }

    /** What the cars are told: {@code tcp://127.0.0.1:port} of the relay. */
    public String url() {
        return "tcp://127.0.0.1:" + server.socket().getLocalPort();
    }

    /**
     * Cuts the client's connections and refuses new ones until {@link #restore}; completes once the
     * sockets are closed.
     */
    public CompletableFuture<Void> blackout(String clientId) {
        blocked.add(clientId);
        return cut(clientId);
    }

    public void restore(String clientId) {
        blocked.remove(clientId);
    }

    /** Drops the client's connections (both sides see the socket close); it may reconnect. */
    public CompletableFuture<Void> cut(String clientId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        runOnLoop(() -> {
            List<Link> l = links.remove(clientId);
            if (l != null) {
                new ArrayList<>(l).forEach(Link::close);
            }
            done.complete(null);
        });
        return done;
    }

    public boolean isBlackedOut(String clientId) {
        return blocked.contains(clientId);
    }

    public long acceptedConnections() {
        return accepted.get();
    }

    public long refusedConnections() {
        return refused.get();
    }

    private void runOnLoop(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void loop() {
        try {
            while (!closed) {
                selector.select(1000);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.error("fleet network stopped: {}", e.toString());
            }
        }
    }

    private void handle(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                accept();
                return;
            }
            Link link = (Link) key.attachment();
            if (key.isConnectable()) {
                link.upstreamConnected();
            }
            if (key.isValid() && key.isReadable()) {
                link.readable(key.channel() == link.client);
            }
            if (key.isValid() && key.isWritable()) {
                link.writable(key.channel() == link.client);
            }
        } catch (IOException | RuntimeException e) {
            Object att = key.attachment();
            if (att instanceof Link l) {
                l.close();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Link link = new Link(c);
            c.register(selector, SelectionKey.OP_READ, link);
        }
    }

    /** One car's connection: client socket, broker socket, a buffer each way. */
    private final class Link {
        private final SocketChannel client;
        private SocketChannel broker;
        private final ByteBuffer up = ByteBuffer.allocate(BUFFER);
        private final ByteBuffer down = ByteBuffer.allocate(BUFFER);
        private String clientId;
        private boolean open;
        private boolean closedLink;

        Link(SocketChannel client) {
            this.client = client;
        }

        void readable(boolean fromClient) throws IOException {
            SocketChannel from = fromClient ? client : broker;
            ByteBuffer buffer = fromClient ? up : down;
            int n = from.read(buffer);
            if (n < 0) {
                close();
                return;
            }
            if (fromClient && clientId == null) {
                identify();
                return;
            }
            flush(fromClient);
        }

        private void identify() throws IOException {
            String id;
            try {
                id = MqttConnectPeek.clientId(up);
            } catch (MqttConnectPeek.NotConnect e) {
                close();
                return;
            }
            if (id == null) {
                if (!up.hasRemaining()) {
                    close();
                }
                return;
            }
            clientId = id;
            if (blocked.contains(id)) {
                refused.incrementAndGet();
                close();
                return;
            }
            accepted.incrementAndGet();
            links.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(this);
            client.keyFor(selector).interestOps(0);
            broker = SocketChannel.open();
            broker.configureBlocking(false);
            broker.setOption(StandardSocketOptions.TCP_NODELAY, true);
            broker.register(selector, SelectionKey.OP_CONNECT, this);
            broker.connect(upstream);
        }

        void upstreamConnected() throws IOException {
            broker.finishConnect();
            open = true;
            client.keyFor(selector).interestOps(SelectionKey.OP_READ);
            broker.keyFor(selector).interestOps(SelectionKey.OP_READ);
            flush(true);
        }

        /** Writes what is buffered towards the other side; reading pauses while the other side is full. */
        private void flush(boolean towardsBroker) throws IOException {
            if (!open) {
                return;
            }
            SocketChannel to = towardsBroker ? broker : client;
            SocketChannel from = towardsBroker ? client : broker;
            ByteBuffer buffer = towardsBroker ? up : down;
            buffer.flip();
            to.write(buffer);
            boolean pending = buffer.hasRemaining();
            buffer.compact();
            SelectionKey toKey = to.keyFor(selector);
            SelectionKey fromKey = from.keyFor(selector);
            if (pending) {
                toKey.interestOps(toKey.interestOps() | SelectionKey.OP_WRITE);
                if (!buffer.hasRemaining()) {
                    fromKey.interestOps(fromKey.interestOps() & ~SelectionKey.OP_READ);
                }
            } else {
                toKey.interestOps(toKey.interestOps() & ~SelectionKey.OP_WRITE);
                fromKey.interestOps(fromKey.interestOps() | SelectionKey.OP_READ);
            }
        }

        void writable(boolean toClient) throws IOException {
            flush(!toClient);
        }

        void close() {
            if (closedLink) {
                return;
            }
            closedLink = true;
            closeQuietly(client);
            closeQuietly(broker);
            if (clientId != null) {
                List<Link> l = links.get(clientId);
                if (l != null) {
                    l.remove(this);
                }
            }
        }
    }

    private static void closeQuietly(SocketChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
            for (SelectionKey k : selector.keys()) {
                closeQuietly(k.channel() instanceof SocketChannel s ? s : null);
            }
            server.close();
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing fleet network: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For logs: the broker the relay forwards to. */
    @Override
    public String toString() {
        return "FleetNetwork[" + url() + " -> " + Objects.toString(upstream) + "]";
    }
}
