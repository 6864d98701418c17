package io.latchkey.protocol.key;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * The phone's side of a key (docs/offline-keys.md §3, §4): its holder key and credential, the messages it sends and
 * the check of the car's signed answer. What the app does in JavaScript, here for the simulator's virtual phones and
 * tests: the reference an app developer can compare with.
 */
public final class PhoneKey {
    private final ECPrivateKeyParameters holderKey;
    private final TenantSigned credential;
    private final KeyCredential contents;

    /** @param credential the envelope the backend issued for {@code holderKey}'s public half */
    public PhoneKey(ECPrivateKeyParameters holderKey, TenantSigned credential) {
        this.holderKey = Objects.requireNonNull(holderKey, "holderKey");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.contents = Json.read(Ed25519.fromBase64url(credential.document()), KeyCredential.class);
    }

    /** A new holder key, as the app generates one (WebCrypto's P-256). */
    public static ECPrivateKeyParameters newHolderKey(SecureRandom random) {
        BigInteger n = HolderKeys.DOMAIN.getN();
        BigInteger d;
        do {
            d = new BigInteger(n.bitLength(), random);
        } while (d.signum() == 0 || d.compareTo(n) >= 0);
        return HolderKeys.privateKey(d);
    }

    /** The public half, as the app sends it to be issued a credential. */
    public static String publicKeyOf(ECPrivateKeyParameters holderKey) {
        return HolderKeys.encode(HolderKeys.publicOf(holderKey));
    }

    public TenantSigned credential() {
        return credential;
    }

    /** The credential's contents, as the phone reads them (unverified: the car verifies). */
    public KeyCredential contents() {
        return contents;
    }

    /** The first BLE message, with the newest revocation list the phone carries (or null). */
    public byte[] hello(TenantSigned revocations) {
        return Json.write(new KeyMessages.Hello(credential, revocations));
    }

    /** The answer to the car's challenge: {@code action}, signed over the challenge. */
    public byte[] request(KeyMessages.Challenge challenge, KeyRight action) {
        byte[] input = SigningInputs.bleRequest(contents.tenant(), contents.deviceId(), contents.keyId(), action,
                challenge.nonce(), challenge.counter(), challenge.epoch());
        return Json.write(new KeyMessages.Request(action, challenge.nonce(), challenge.counter(),
                Ed25519.base64url(HolderKeys.sign(holderKey, input))));
    }

    /** The QR text for {@code action} at {@code time} with the key's next {@code counter}. */
    public String qr(KeyRight action, long counter, Instant time) {
        byte[] input = SigningInputs.qrPresentation(contents.tenant(), contents.deviceId(), contents.keyId(), action, counter, time);
        return KeyMessages.qrText(new KeyMessages.QrPayload(credential,
                new KeyMessages.Presentation(action, counter, time, Ed25519.base64url(HolderKeys.sign(holderKey, input)))));
    }

    /**
     * Whether the car's result is the car's (signed with the device key the credential names) and answers this
     * challenge and action.
     */
    public boolean verifyResult(KeyMessages.Result result, KeyMessages.Challenge challenge, KeyRight action) {
        if (result == null || result.signature() == null || !challenge.nonce().equals(result.nonce())
                || result.counter() == null || result.counter() != challenge.counter()) {
            return false;
        }
        byte[] input = SigningInputs.bleResult(contents.tenant(), contents.deviceId(), contents.keyId(), action,
                result.nonce(), result.counter(), result.outcome(), result.reason(), result.lockState());
        return HolderKeys.verify(devicePublicKey(contents.devicePublicKey()), input, Ed25519.fromBase64url(result.signature()));
    }

    /** The device key of a credential's {@code devicePublicKey} (base64url SubjectPublicKeyInfo). */
    public static ECPublicKeyParameters devicePublicKey(String base64urlSpki) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Ed25519.fromBase64url(base64urlSpki)));
            return io.latchkey.protocol.device.DeviceKeys.verification(key);
        } catch (java.security.GeneralSecurityException | IllegalArgumentException | io.latchkey.protocol.ProtocolException e) {
            throw new MalformedMessageException("devicePublicKey must be base64url of a P-256 SubjectPublicKeyInfo");
        }
    }
}
