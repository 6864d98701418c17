package io.latchkey.protocol.key;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.key.KeyRefusedException.Reason;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The car's checks of a presented key (docs/offline-keys.md): the credential against the tenant keys pinned at
 * provisioning (the same as for commands), its tenant, device, parent, revocation and window; then the holder's
 * signature over a BLE challenge or a QR presentation. Stateless: the challenges, the QR counters, the newest
 * revocation list and the time live in the agent, which passes them in.
 */
public final class OfflineKeyVerifier {
    /** How far a QR presentation's time may be from the car's trusted time. */
    public static final Duration QR_WINDOW = Duration.ofSeconds(30);

    private final Map<String, Ed25519PublicKeyParameters> keysById;
    private final String tenant;
    private final String deviceId;

    public OfflineKeyVerifier(Map<String, PublicKey> keysById, String tenant, String deviceId) {
        if (keysById == null || keysById.isEmpty()) {
            throw new IllegalArgumentException("at least one tenant key is required");
        }
        this.keysById = Map.copyOf(keysById.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Keys.ed25519(e.getValue()))));
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    }

    /**
     * A revocation list the tenant signed for this tenant.
     *
     * @throws KeyRefusedException {@code MALFORMED}, {@code UNKNOWN_SIGNER}, {@code BAD_CREDENTIAL_SIGNATURE} or {@code WRONG_TENANT}
     */
    public RevocationList revocations(TenantSigned signed) {
        RevocationList list = read(signed, TenantSigned.Kind.REVOCATIONS, RevocationList.class);
        try {
            list.checked();
        } catch (MalformedMessageException e) {
            throw new KeyRefusedException(Reason.MALFORMED, e.getMessage());
        }
        if (!tenant.equals(list.tenant())) {
            throw new KeyRefusedException(Reason.WRONG_TENANT, "revocations of tenant " + list.tenant());
        }
        return list;
    }

    /**
     * A credential the tenant signed for this car, not revoked, no wider than its parent, and valid now as far as the
     * car can tell.
     *
     * @param revoked the newest revocation list the car has verified, or null
     * @throws KeyRefusedException with the first check that fails
     */
    public KeyCredential credential(TenantSigned signed, CarTime time, RevocationList revoked) {
        KeyCredential credential = read(signed, TenantSigned.Kind.CREDENTIAL, KeyCredential.class);
        try {
            credential.checked();
        } catch (MalformedMessageException e) {
            throw new KeyRefusedException(Reason.MALFORMED, e.getMessage());
        }
        if (!tenant.equals(credential.tenant())) {
            throw new KeyRefusedException(Reason.WRONG_TENANT, "key of tenant " + credential.tenant());
        }
        if (!deviceId.equals(credential.deviceId())) {
            throw new KeyRefusedException(Reason.WRONG_DEVICE, "key for device " + credential.deviceId());
        }
        if (!credential.withinParent()) {
            throw new KeyRefusedException(Reason.WIDER_THAN_PARENT, "rights or window wider than parent key " + credential.parent().keyId());
        }
        if (revoked != null && (revoked.revokes(credential.keyId())
                || credential.parent() != null && revoked.revokes(credential.parent().keyId()))) {
            throw new KeyRefusedException(Reason.REVOKED, "key " + credential.keyId() + " is revoked (list " + revoked.serial() + ")");
        }
        time.requireWithin(credential.notBefore(), credential.notAfter());
        return credential;
    }

    /** @throws KeyRefusedException {@code NO_RIGHT} */
    public static void requireRight(KeyCredential credential, KeyRight action) {
        if (!credential.rights().contains(action)) {
            throw new KeyRefusedException(Reason.NO_RIGHT, "key " + credential.keyId() + " may not " + action);
        }
    }

    /**
     * The holder's answer to the car's BLE challenge (nonce, counter and epoch are the car's own, which the caller
     * has matched to an open challenge).
     *
     * @throws KeyRefusedException {@code NO_RIGHT}, {@code MALFORMED} or {@code BAD_HOLDER_SIGNATURE}
     */
    public void bleRequest(KeyCredential credential, KeyRight action, String nonce, long counter, String epoch, String signature) {
        requireRight(credential, action);
        byte[] input = SigningInputs.bleRequest(tenant, deviceId, credential.keyId(), action, nonce, counter, epoch);
        requireHolderSignature(credential, input, signature);
    }

    /**
     * A QR presentation: signed by the holder, its counter above the last one the car accepted for the key, its time
     * within {@link #QR_WINDOW} of the car's time (or not before the car's lower bound minus the window).
     *
     * @param lastCounter the highest counter the car accepted for this key, 0 if none
     * @throws KeyRefusedException {@code NO_RIGHT}, {@code MALFORMED}, {@code BAD_HOLDER_SIGNATURE}, {@code REPLAYED},
     *                             {@code STALE_PRESENTATION} or {@code TIME_UNKNOWN}
     */
    public void qrPresentation(KeyCredential credential, KeyRight action, long counter, Instant presented, String signature,
                               CarTime time, long lastCounter) {
        requireRight(credential, action);
        if (presented == null || counter < 1) {
            throw new KeyRefusedException(Reason.MALFORMED, "a presentation needs a time and a counter >= 1");
        }
        byte[] input = SigningInputs.qrPresentation(tenant, deviceId, credential.keyId(), action, counter, presented);
        requireHolderSignature(credential, input, signature);
        if (counter <= lastCounter) {
            throw new KeyRefusedException(Reason.REPLAYED, "counter " + counter + " is not above " + lastCounter);
        }
        switch (time.confidence()) {
            case UNKNOWN -> throw new KeyRefusedException(Reason.TIME_UNKNOWN, "the car does not know the time");
            case TRUSTED -> {
                if (Duration.between(presented, time.now()).abs().compareTo(QR_WINDOW) > 0) {
                    throw new KeyRefusedException(Reason.STALE_PRESENTATION, "presented at " + presented + ", now " + time.now());
                }
            }
            case LOWER_BOUND -> {
                if (presented.isBefore(time.now().minus(QR_WINDOW))) {
                    throw new KeyRefusedException(Reason.STALE_PRESENTATION,
                            "presented at " + presented + ", and the time is at least " + time.now());
                }
            }
        }
    }

    private static void requireHolderSignature(KeyCredential credential, byte[] input, String signature) {
        byte[] sig;
        try {
            sig = Ed25519.fromBase64url(signature);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KeyRefusedException(Reason.MALFORMED, "the signature must be base64url");
        }
        ECPublicKeyParameters holder = HolderKeys.decode(credential.holder().publicKey());
        if (!HolderKeys.verify(holder, input, sig)) {
            throw new KeyRefusedException(Reason.BAD_HOLDER_SIGNATURE, "not signed by the holder of key " + credential.keyId());
        }
    }

    private <T> T read(TenantSigned signed, TenantSigned.Kind kind, Class<T> type) {
        if (signed == null || signed.signerKeyId() == null || signed.document() == null || signed.signature() == null) {
            throw new KeyRefusedException(Reason.MALFORMED, "signerKeyId, document and signature are required");
        }
        Ed25519PublicKeyParameters key = keysById.get(signed.signerKeyId());
        if (key == null) {
            throw new KeyRefusedException(Reason.UNKNOWN_SIGNER, "no pinned tenant key with id " + signed.signerKeyId());
        }
        byte[] bytes;
        try {
            bytes = signed.verifiedBytes(kind, key);
        } catch (MalformedMessageException e) {
            throw new KeyRefusedException(Reason.MALFORMED, e.getMessage());
        }
        if (bytes == null) {
            throw new KeyRefusedException(Reason.BAD_CREDENTIAL_SIGNATURE, "the tenant's signature does not match the " + kind.name().toLowerCase());
        }
        try {
            return Json.read(bytes, type);
        } catch (MalformedMessageException e) {
            throw new KeyRefusedException(Reason.MALFORMED, e.getMessage());
        }
    }
}
