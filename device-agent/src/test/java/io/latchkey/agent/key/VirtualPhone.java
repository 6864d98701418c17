package io.latchkey.agent.key;

import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.PhoneKey;
import io.latchkey.protocol.key.TenantSigned;
import java.time.Duration;

/**
 * A borrower's phone at the car: the protocol's {@link PhoneKey} (what the app signs) over the HAL's simulated BLE link
 * (what the car's GATT server receives). Records the bytes it sent, so a test can replay an exchange.
 */
final class VirtualPhone {
    final PhoneKey key;
    byte[] sentHello;
    byte[] sentRequest;
    KeyMessages.Challenge challenge;

    VirtualPhone(PhoneKey key) {
        this.key = key;
    }

    /** Connects, says hello (with {@code revocations} as courier, or null) and reads the challenge or the refusal. */
    Object hello(SimulatedBleKeyLink.Phone link, TenantSigned revocations) {
        sentHello = key.hello(revocations);
        link.send(sentHello);
        byte[] answer = link.receive(Duration.ofSeconds(5));
        if (answer == null) {
            throw new AssertionError("the car did not answer the hello");
        }
        if ("challenge".equals(KeyMessages.kind(answer))) {
            challenge = Json.read(answer, KeyMessages.Challenge.class);
            return challenge;
        }
        return Json.read(answer, KeyMessages.Result.class);
    }

    /** Asks for {@code action} against the last challenge and reads the car's result. */
    KeyMessages.Result request(SimulatedBleKeyLink.Phone link, KeyRight action) {
        sentRequest = key.request(challenge, action);
        link.send(sentRequest);
        return result(link);
    }

    static KeyMessages.Result result(SimulatedBleKeyLink.Phone link) {
        byte[] answer = link.receive(Duration.ofSeconds(5));
        if (answer == null) {
            throw new AssertionError("the car did not answer");
        }
        return Json.read(answer, KeyMessages.Result.class);
    }

    /** A whole BLE use: connect, hello, request; the result. */
    KeyMessages.Result use(SimulatedBleKeyLink ble, KeyRight action, TenantSigned revocations) {
        SimulatedBleKeyLink.Phone link = ble.connect();
        Object first = hello(link, revocations);
        if (first instanceof KeyMessages.Result refused) {
            return refused;
        }
        return request(link, action);
    }
}
