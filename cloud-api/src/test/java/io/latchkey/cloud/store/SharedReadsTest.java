package io.latchkey.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedReadsTest {
    private final SharedReads<String, String> reads = new SharedReads<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** A thread per caller (the common pool has one thread on a 2-core machine: callers would queue, not overlap). */
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void aReadAskedForWhileOneIsUnderWay_waitsForIt_andSendsNoSecondRequest() throws Exception {
        CountDownLatch inStore = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        CompletableFuture<String> ahead = CompletableFuture.supplyAsync(() -> reads.read("car-1", () -> {
            inStore.countDown();
            await(answer);
            return "key v" + requests.incrementAndGet();
        }), callers);
        assertThat(inStore.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> needed = CompletableFuture.supplyAsync(() -> reads.read("car-1",
                () -> "key v" + requests.incrementAndGet()), callers);
        Thread.sleep(100);
        assertThat(needed).isNotDone(); // waits for the read under way instead of reading itself

        answer.countDown();
        assertThat(needed.get(5, TimeUnit.SECONDS)).isEqualTo("key v1");
        assertThat(ahead.get(5, TimeUnit.SECONDS)).isEqualTo("key v1");
        assertThat(requests).hasValue(1);
        assertThat(reads.underWay()).isZero();
    }

    @Test
    void aReadAfterTheOneUnderWayReturned_isANewRead_andOtherKeysNeverWait() throws Exception {
        assertThat(reads.read("car-1", () -> "v" + requests.incrementAndGet())).isEqualTo("v1");
        assertThat(reads.read("car-1", () -> "v" + requests.incrementAndGet())).isEqualTo("v2");

        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch inStore = new CountDownLatch(1);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> reads.read("car-1", () -> {
            inStore.countDown();
            await(answer);
            return "slow";
        }), callers);
        assertThat(inStore.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reads.read("car-2", () -> "other")).isEqualTo("other");
        answer.countDown();
        assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
    }

    @Test
    void aFailedRead_failsEveryoneWaitingForIt_andTheNextReadTriesAgain() throws Exception {
        CountDownLatch inStore = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        CompletableFuture<String> ahead = CompletableFuture.supplyAsync(() -> reads.read("car-1", () -> {
            inStore.countDown();
            await(answer);
            throw new StoreException("store unavailable");
        }), callers);
        assertThat(inStore.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> needed = CompletableFuture.supplyAsync(() -> reads.read("car-1", () -> "unused"), callers);
        Thread.sleep(100);
        answer.countDown();
        assertThatThrownBy(() -> needed.join()).hasCauseInstanceOf(StoreException.class).hasMessageContaining("store unavailable");
        assertThatThrownBy(() -> ahead.join()).hasCauseInstanceOf(StoreException.class);
        assertThat(reads.read("car-1", () -> "read again")).isEqualTo("read again");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
