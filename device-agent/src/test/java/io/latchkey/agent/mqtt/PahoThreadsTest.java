package io.latchkey.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Paho's connect thread starts three parts (receiver, sender, callback) the way {@link Part#start} does, copied from
 * {@code CommsReceiver.start} of org.eclipse.paho.mqttv5.client 1.2.5: the new thread is started under the lock it needs
 * to say it runs, then the starter polls with {@code Thread.sleep(100)}, swallowing any exception. Without
 * {@link PahoThreads} waking the starter, three starts take at least 300 ms (eclipse-paho/paho.mqtt.java#945).
 */
class PahoThreadsTest {
    private final PahoThreads threads = new PahoThreads("test-ping", task -> task instanceof Part p ? p::isRunning : null);
    private final CountDownLatch stop = new CountDownLatch(1);

    @AfterEach
    void stop() {
        stop.countDown();
        threads.shutdownNow();
    }

    /** A part as Paho writes one (CommsReceiver, CommsSender and CommsCallback start alike). */
    private final class Part implements Runnable {
        private final Object lifecycle = new Object();
        private boolean running;
        private volatile Thread thread;
        volatile boolean interrupted;

        void start(ExecutorService executor) {
            synchronized (lifecycle) {
                executor.submit(this);
            }
            while (!isRunning()) {
                try { Thread.sleep(100); } catch (Exception e) { }
            }
        }

        boolean isRunning() {
            synchronized (lifecycle) {
                return running;
            }
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            synchronized (lifecycle) {
                running = true;
            }
            try {
                stop.await(); // the part's loop, until the test ends
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    @Test
    void threeStarts_takeFarLessThanPahosThreeSleeps_eachPartOnAThreadOfItsOwn_andTheStarterIsNotLeftInterrupted() throws Exception {
        for (int round = 0; round < 3; round++) { // a connection, then two reconnections
            List<Part> parts = List.of(new Part(), new Part(), new Part());
            long[] nanos = new long[1];
            boolean[] leftInterrupted = new boolean[1];
            Runnable connect = () -> { // Paho's ConnectBG
                long t0 = System.nanoTime();
                parts.forEach(p -> p.start(threads));
                nanos[0] = System.nanoTime() - t0;
                leftInterrupted[0] = Thread.currentThread().isInterrupted();
            };
            Thread connectThread = new Thread(connect);
            connectThread.start();
            connectThread.join(5_000);

            assertThat(parts).allMatch(Part::isRunning);
            assertThat(parts.stream().map(p -> p.thread).distinct()).hasSize(3).doesNotContain(connectThread);
            // without the wake-up never under 3 x 100 ms (each sleep lasts at least its 100 ms); with it a few ms, and
            // the rest of the margin is for a loaded machine's scheduling
            assertThat(TimeUnit.NANOSECONDS.toMillis(nanos[0])).isLessThan(250);
            assertThat(leftInterrupted[0]).isFalse();
            assertThat(threads.watching()).isFalse();
        }
    }

    @Test
    void cancellingAPartsFuture_neverInterruptsIt_asPahoWithoutAnExecutorNeverDoes() throws Exception {
        Part part = new Part();
        List<Future<?>> futures = new ArrayList<>();
        Thread starter = new Thread(() -> {
            synchronized (part.lifecycle) {
                futures.add(threads.submit(part));
            }
        });
        starter.start();
        starter.join(5_000);
        while (!part.isRunning()) {
            Thread.sleep(5);
        }

        futures.get(0).cancel(true);
        Thread.sleep(50);

        assertThat(part.interrupted).isFalse();
        assertThat(part.thread.isAlive()).isTrue();
    }

    @Test
    void otherTasks_getAThreadOfTheirOwn_andNothingIsWatched() throws Exception {
        CountDownLatch ran = new CountDownLatch(2);
        List<Thread> ranOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        threads.execute(() -> {
            ranOn.add(Thread.currentThread());
            ran.countDown();
        });
        threads.submit(() -> {
            ranOn.add(Thread.currentThread());
            ran.countDown();
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).doesNotContain(Thread.currentThread());
        assertThat(threads.watching()).isFalse();
    }
}
