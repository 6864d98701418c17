package io.latchkey.cloud.ota;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.ota.UpdateManifest;
import io.latchkey.protocol.ota.UpdateRefusedException;
import io.latchkey.protocol.ota.UpdateRefusedException.Reason;
import io.latchkey.protocol.ota.UpdateVerifier;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Releases: uploaded bundles checked as a device checks them (docs/ota.md §1, §2) before they are kept. A bundle is
 * refused with the device's reason ({@link Reason}) when its manifest is missing, unsigned, malformed, of another
 * tenant or signed by a key the tenant has not registered, or when a file differs from the manifest. Versions are not
 * compared here (that depends on the car). The bytes go to the tenant's store ({@value #BUNDLES}), the description to
 * {@value #COLLECTION}.
 */
@Singleton
public class Releases {
    static final String COLLECTION = "releases";
    static final String BUNDLES = "release-bundles";
    private static final String MANIFEST = "manifest";

    private final Stores stores;
    private final UpdateKeys keys;
    private final Auditor auditor;
    private final Clock clock;
    private final SecureRandom random;

    public Releases(Stores stores, UpdateKeys keys, Auditor auditor, Clock clock, SecureRandom random) {
        this.stores = stores;
        this.keys = keys;
        this.auditor = auditor;
        this.clock = clock;
        this.random = random;
    }

    /** Checks and keeps a bundle. @throws InvalidRequestException naming the device's reason when it is refused */
    public Release upload(String tenant, byte[] bundle, String actor) {
        UpdateManifest manifest;
        TenantSigned signed;
        try {
            signed = manifestOf(bundle);
            Map<String, PublicKey> registered = keys.byId(tenant);
            if (registered.isEmpty()) {
                throw new UpdateRefusedException(Reason.UNKNOWN_KEY, "the tenant has no update key registered");
            }
            manifest = new UpdateVerifier(registered, tenant, Integer.MAX_VALUE).verify(signed, null);
            checkFiles(bundle, manifest);
        } catch (UpdateRefusedException e) {
            auditor.record(tenant, actor, "ota.release-uploaded", "release/-", AuditEntry.REFUSED);
            throw new InvalidRequestException(e.reason() + ": " + e.getMessage());
        }
        String id = "rel-" + HexFormat.of().formatHex(randomBytes(8));
        Release release = new Release(id, manifest.version(), manifest.minVersion(), bundle.length, sha256(bundle),
                signed.signerKeyId(), clock.instant(), signed);
        store(tenant).create(BUNDLES, id, bundle);
        collection(tenant).create(id, release);
        auditor.record(tenant, actor, "ota.release-uploaded", "release/" + id + " version/" + manifest.version(), AuditEntry.OK);
        return release;
    }

    public List<Release> list(String tenant) {
        return collection(tenant).all().stream().sorted(Comparator.comparing(Release::createdAt).reversed()).toList();
    }

    public Optional<Release> find(String tenant, String id) {
        return Ids.isValid(id) ? collection(tenant).get(id) : Optional.empty();
    }

    /** @throws NotFoundException for an unknown release (or another tenant's) */
    public Release require(String tenant, String id) {
        return find(tenant, id).orElseThrow(() -> new NotFoundException("unknown release " + id));
    }

    /** The bundle's bytes. */
    byte[] bundle(String tenant, String id) {
        return store(tenant).read(BUNDLES, id).orElseThrow(() -> new NotFoundException("unknown release " + id)).value();
    }

    private static TenantSigned manifestOf(byte[] bundle) {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            ZipEntry entry;
            boolean any = false;
            while ((entry = zip.getNextEntry()) != null) {
                any = true;
                if (entry.getName().equals(MANIFEST)) {
                    return Json.read(zip.readNBytes(1024 * 1024), TenantSigned.class);
                }
            }
            if (!any) {
                throw new UpdateRefusedException(Reason.MALFORMED, "not a zip, or an empty one");
            }
            throw new UpdateRefusedException(Reason.UNSIGNED, "the bundle has no manifest");
        } catch (MalformedMessageException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, "manifest: " + e.getMessage());
        } catch (IOException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, "not a zip: " + e.getMessage());
        }
    }

    /** Every file as listed (size, SHA-256), none missing, none unlisted, none twice. */
    private static void checkFiles(byte[] bundle, UpdateManifest manifest) {
        Map<String, UpdateManifest.FileEntry> listed = new HashMap<>();
        manifest.files().forEach(f -> listed.put(f.path(), f));
        Map<String, Boolean> seen = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.equals(MANIFEST) || entry.isDirectory()) {
                    continue;
                }
                UpdateManifest.FileEntry f = listed.get(name);
                if (f == null) {
                    throw new UpdateRefusedException(Reason.TAMPERED, name + " is not in the manifest");
                }
                if (seen.put(name, true) != null) {
                    throw new UpdateRefusedException(Reason.TAMPERED, name + " is in the bundle twice");
                }
                check(f, zip);
            }
        } catch (IOException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, "cannot read the bundle: " + e.getMessage());
        }
        for (String path : listed.keySet()) {
            if (!seen.containsKey(path)) {
                throw new UpdateRefusedException(Reason.TAMPERED, path + " is missing");
            }
        }
    }

    private static void check(UpdateManifest.FileEntry f, InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            size += n;
            if (size > f.size()) {
                break;
            }
        }
        if (size != f.size() || !HexFormat.of().formatHex(digest.digest()).equals(f.sha256())) {
            throw new UpdateRefusedException(Reason.TAMPERED, f.path() + ": size or SHA-256 differs from the manifest");
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private TenantStore store(String tenant) {
        return stores.tenant(tenant);
    }

    private JsonCollection<Release> collection(String tenant) {
        return new JsonCollection<>(store(tenant), COLLECTION, Release.class);
    }
}
