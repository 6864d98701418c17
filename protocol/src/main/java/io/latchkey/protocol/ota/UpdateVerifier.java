package io.latchkey.protocol.ota;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.ota.UpdateRefusedException.Reason;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The device's checks of a release's signed manifest (docs/ota.md §2): signed by an update key pinned at provisioning,
 * for this tenant, newer than the running version (or a downgrade the manifest allows), from a version at or above its
 * minimum, within the configuration schema the device knows. The files' hashes are the bundle reader's job.
 */
public final class UpdateVerifier {
    private final Map<String, Ed25519PublicKeyParameters> keysById;
    private final String tenant;
    private final int configSchema;

    /**
     * @param updateKeys   the pinned update keys by key id (Ed25519)
     * @param configSchema the highest runtime configuration schema version this device's configuration satisfies
     */
    public UpdateVerifier(Map<String, PublicKey> updateKeys, String tenant, int configSchema) {
        if (updateKeys == null || updateKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one update key is required");
        }
        this.keysById = Map.copyOf(updateKeys.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Keys.ed25519(e.getValue()))));
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.configSchema = configSchema;
    }

    /**
     * The manifest, if this device may install it over {@code running}.
     *
     * @throws UpdateRefusedException with the first check that fails
     */
    public UpdateManifest verify(TenantSigned signed, String running) {
        if (signed == null || signed.document() == null) {
            throw new UpdateRefusedException(Reason.MALFORMED, "no manifest");
        }
        if (signed.signature() == null || signed.signature().isEmpty() || signed.signerKeyId() == null) {
            throw new UpdateRefusedException(Reason.UNSIGNED, "the manifest carries no signature or key id");
        }
        Ed25519PublicKeyParameters key = keysById.get(signed.signerKeyId());
        if (key == null) {
            throw new UpdateRefusedException(Reason.UNKNOWN_KEY, "no pinned update key with id " + signed.signerKeyId());
        }
        byte[] bytes;
        try {
            bytes = signed.verifiedBytes(TenantSigned.Kind.UPDATE_MANIFEST, key);
        } catch (MalformedMessageException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, e.getMessage());
        }
        if (bytes == null) {
            throw new UpdateRefusedException(Reason.BAD_SIGNATURE, "the manifest's signature by " + signed.signerKeyId() + " does not verify");
        }
        UpdateManifest manifest;
        try {
            manifest = Json.read(bytes, UpdateManifest.class);
        } catch (MalformedMessageException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, e.getMessage());
        }
        manifest.checked();
        if (!tenant.equals(manifest.tenant())) {
            throw new UpdateRefusedException(Reason.WRONG_TENANT, "a release of tenant " + manifest.tenant());
        }
        if (Versions.isValid(running)) {
            int order = Versions.compare(manifest.version(), running);
            if (order == 0) {
                throw new UpdateRefusedException(Reason.SAME_VERSION, "version " + running + " runs already");
            }
            if (order < 0 && !manifest.allowDowngrade()) {
                throw new UpdateRefusedException(Reason.DOWNGRADE, manifest.version() + " is older than the running " + running
                        + " and the manifest does not allow a downgrade");
            }
            if (manifest.minVersion() != null && Versions.compare(running, manifest.minVersion()) < 0) {
                throw new UpdateRefusedException(Reason.VERSION_TOO_OLD, "updates only from " + manifest.minVersion() + " on, this runs " + running);
            }
        }
        if (manifest.configSchema() > configSchema) {
            throw new UpdateRefusedException(Reason.SCHEMA_UNSUPPORTED, "needs configuration schema " + manifest.configSchema()
                    + ", this device has " + configSchema);
        }
        return manifest;
    }

    /** Signs a manifest with an update key (the release tool's side). */
    public static TenantSigned sign(UpdateManifest manifest, String keyId, java.security.PrivateKey key) {
        return TenantSigned.sign(TenantSigned.Kind.UPDATE_MANIFEST, manifest.checked(), keyId, key);
    }

    /** The document's bytes decoded without any check: for a tool that shows what a bundle says. */
    public static UpdateManifest readUnverified(TenantSigned signed) {
        try {
            return Json.read(Ed25519.fromBase64url(signed.document()), UpdateManifest.class);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, "manifest document is not base64url");
        }
    }
}
