package io.latchkey.cloud.command;

import io.latchkey.protocol.command.CommandAck;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Commands this replica has sent and is waiting on, by tenant and command id. */
@Singleton
public class PendingCommands {
    private record Waiter(String deviceId, CompletableFuture<Answer> answer) {
    }

    /** A verified answer and when this replica's MQTT client handed it over (before verifying it). */
    record Answer(CommandAck ack, Instant receivedAt) {
    }

    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    /** How many concluded ids are remembered ({@link #howConcluded}): at 10 commands/s, the last ~17 minutes. */
    static final int REMEMBERED = 10_000;
    /** The ids concluded here lately, oldest first, and whether the car's answer concluded them. */
    private final Map<String, Boolean> concluded = new java.util.LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** What this replica knows of a command id it is not (or no longer) waiting for. */
    enum Concluded {
        /** Never sent from here, or concluded too long ago to be remembered. */
        UNKNOWN,
        /** Its answer came, and was handed to the caller. */
        ANSWERED,
        /** Given up on here without the car's answer (timed out, or not sent): an answer now is a late one. */
        GAVE_UP
    }

    CompletableFuture<Answer> register(String tenant, String commandId, String deviceId) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        waiting.put(key(tenant, commandId), new Waiter(deviceId, answer));
        return answer;
    }

    /** Whether this replica is waiting for the car's answer to the command. */
    boolean isWaiting(String tenant, String commandId) {
        return waiting.containsKey(key(tenant, commandId));
    }

    void forget(String tenant, String commandId) {
        if (waiting.remove(key(tenant, commandId)) != null) {
            remember(key(tenant, commandId), false);
        }
    }

    /** What this replica knows of a command it no longer waits for: answered here, given up on here, or neither. */
    Concluded howConcluded(String tenant, String commandId) {
        Boolean answered;
        synchronized (concluded) {
            answered = concluded.get(key(tenant, commandId));
        }
        return answered == null ? Concluded.UNKNOWN : answered ? Concluded.ANSWERED : Concluded.GAVE_UP;
    }

    private void remember(String key, boolean answered) {
        synchronized (concluded) {
            concluded.put(key, answered);
        }
    }

    /** What became of an answer offered to the waiters. */
    enum Delivery { COMPLETED, NOT_WAITING, OTHER_DEVICE }

    /** Completes the waiter of this command if the answering device is the one it was sent to. */
    Delivery complete(String tenant, String deviceId, CommandAck ack, Instant receivedAt) {
        String key = key(tenant, ack.commandId());
        Waiter waiter = waiting.get(key);
        if (waiter == null) {
            return Delivery.NOT_WAITING;
        }
        if (!waiter.deviceId().equals(deviceId)) {
            return Delivery.OTHER_DEVICE;
        }
        waiting.remove(key, waiter);
        boolean completed = waiter.answer().complete(new Answer(ack, receivedAt));
        if (completed) {
            remember(key, true);
        }
        return completed ? Delivery.COMPLETED : Delivery.NOT_WAITING;
    }

    private static String key(String tenant, String commandId) {
        return tenant + "/" + commandId;
    }
}
