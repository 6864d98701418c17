package io.latchkey.simulator.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code BrokerMain PORT DIR [file|in-memory]}: a {@link ManagedBroker} as a process of its own, so that
 * benchmarks can measure its memory and CPU apart from the backend's and restart it for real (kill the
 * process, start a new one on the same port and data). Prints {@code READY tcp://...} once listening.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: BrokerMain PORT DIR [file|in-memory]");
            System.exit(2);
        }
        boolean file = args.length < 3 || "file".equals(args[2]);
        ManagedBroker broker = new ManagedBroker(Path.of(args[1]), Integer.parseInt(args[0]), file);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println("READY " + broker.url());
        System.out.flush();
        stopped.await();
    }
}
