package io.latchkey.simulator.phone;

import io.latchkey.hal.key.SimulatedBarcodeScanner;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.PhoneKey;
import io.latchkey.protocol.key.TenantSigned;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * A borrower's phone with an offline key (docs/offline-keys.md), as the simulator's people carry one: its own P-256
 * holder key (generated on the phone, never sent), the credential the tenant issued for it, the newest revocation
 * list it has seen (it is a courier), and the QR counter it keeps. It presents the key over a car's simulated BLE link
 * (challenge-response) or to its simulated scanner (a QR code), with no network at either end.
 */
public final class VirtualPhone {
    /** What a use over BLE gave: the car's answer, and whether its signature is the car's and answers this challenge. */
    public record Answer(KeyMessages.Result result, boolean genuine) {
        public boolean executed() {
            return genuine && "EXECUTED".equals(result.outcome());
        }
    }

    private final ECPrivateKeyParameters holderKey;
    private final Clock clock;
    private PhoneKey key;
    private TenantSigned revocations;
    private long qrCounter;

    public VirtualPhone(SecureRandom random, Clock clock) {
        this.holderKey = PhoneKey.newHolderKey(random);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The public half, as the app sends it to {@code POST /t/{tenant}/bookings/{id}/keys}. */
    public String publicKey() {
        return PhoneKey.publicKeyOf(holderKey);
    }

    /** Stores the credential the backend issued for {@link #publicKey()}. */
    public void store(TenantSigned credential) {
        this.key = new PhoneKey(holderKey, credential);
        this.qrCounter = 0;
    }

    /** Keeps the newest revocation list seen (the app fetches it whenever online) to carry to cars. */
    public void carry(TenantSigned list) {
        this.revocations = list;
    }

    /** Presents the key over BLE: hello, the car's challenge, the signed request, the car's signed answer. */
    public Answer overBle(SimulatedBleKeyLink car, KeyRight action) {
        requireKey();
        SimulatedBleKeyLink.Phone link = car.connect();
        try {
            link.send(key.hello(revocations));
            byte[] first = receive(link);
            if (!"challenge".equals(KeyMessages.kind(first))) {
                return new Answer(Json.read(first, KeyMessages.Result.class), false);
            }
            KeyMessages.Challenge challenge = Json.read(first, KeyMessages.Challenge.class);
            link.send(key.request(challenge, action));
            KeyMessages.Result result = Json.read(receive(link), KeyMessages.Result.class);
            return new Answer(result, key.verifyResult(result, challenge, action));
        } finally {
            link.disconnect();
        }
    }

    /** Shows the car's scanner a fresh QR presentation (next counter, the phone's time). One-way: no answer. */
    public void showQr(SimulatedBarcodeScanner scanner, KeyRight action) {
        requireKey();
        scanner.show(key.qr(action, ++qrCounter, clock.instant()));
    }

    private void requireKey() {
        if (key == null) {
            throw new IllegalStateException("the phone holds no key: store() the credential first");
        }
    }

    private static byte[] receive(SimulatedBleKeyLink.Phone link) {
        byte[] m = link.receive(Duration.ofSeconds(5));
        if (m == null) {
            throw new IllegalStateException("the car did not answer over BLE");
        }
        return m;
    }
}
