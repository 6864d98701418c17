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
        waiting.remove(key(tenant, commandId));
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
        return waiter.answer().complete(new Answer(ack, receivedAt)) ? Delivery.COMPLETED : Delivery.NOT_WAITING;
    }

    private static String key(String tenant, String commandId) {
        return tenant + "/" + commandId;
    }
}
