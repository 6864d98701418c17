package io.latchkey.agent.ota;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.ota.UpdateManifest;
import io.latchkey.protocol.ota.UpdateRefusedException;
import io.latchkey.protocol.ota.UpdateRefusedException.Reason;
import io.latchkey.protocol.ota.UpdateVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * An update bundle (docs/ota.md §1): a zip whose first entry {@code manifest} is the signed {@link UpdateManifest}
 * (a {@link TenantSigned} envelope as JSON), then the release's files at their paths. Built and signed by the release
 * tool ({@link #build}), verified and unpacked into a slot by the device.
 */
public final class UpdateBundle {
    public static final String MANIFEST = "manifest";
    private static final int BUFFER = 64 * 1024;

    private UpdateBundle() {
    }

    /**
     * Builds a bundle of every file under {@code release} (its {@code device-agent.jar} and {@code lib/}), signed with
     * the update key {@code keyId}.
     */
    public static UpdateManifest build(Path release, Path out, String tenant, String version, String minVersion, boolean allowDowngrade,
                                       int configSchema, Instant createdAt, String keyId, PrivateKey key) throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(release)) {
            files = all.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, Path> byPath = new LinkedHashMap<>();
        List<UpdateManifest.FileEntry> entries = new ArrayList<>();
        for (Path f : files) {
            String path = release.relativize(f).toString().replace('\\', '/');
            byPath.put(path, f);
            entries.add(new UpdateManifest.FileEntry(path, Files.size(f), sha256(f)));
        }
        UpdateManifest manifest = new UpdateManifest(1, UpdateManifest.TYPE, tenant, version, minVersion, allowDowngrade, configSchema,
                createdAt, entries);
        TenantSigned signed = UpdateVerifier.sign(manifest, keyId, key);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(Json.write(signed));
            zip.closeEntry();
            for (Map.Entry<String, Path> e : byPath.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                Files.copy(e.getValue(), zip);
                zip.closeEntry();
            }
        }
        return manifest;
    }

    /** The signed manifest inside, unchecked. @throws UpdateRefusedException {@code MALFORMED}: not a bundle */
    public static TenantSigned manifestOf(Path bundle) {
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            ZipEntry entry = zip.getEntry(MANIFEST);
            if (entry == null) {
                throw new UpdateRefusedException(Reason.UNSIGNED, "the bundle has no manifest");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Json.read(in.readNBytes(1024 * 1024), TenantSigned.class);
            }
        } catch (MalformedMessageException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, "manifest: " + e.getMessage());
        } catch (IOException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, "not a zip: " + e.getMessage());
        }
    }

    /**
     * Checks the bundle: its manifest by {@code verifier} over {@code running}, then every file against the manifest's
     * size and SHA-256, with no file missing and none unlisted.
     *
     * @throws UpdateRefusedException with the first check that fails
     */
    public static UpdateManifest verify(Path bundle, UpdateVerifier verifier, String running) {
        UpdateManifest manifest = verifier.verify(manifestOf(bundle), running);
        Map<String, UpdateManifest.FileEntry> listed = manifest.files().stream()
                .collect(Collectors.toMap(UpdateManifest.FileEntry::path, f -> f));
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            Set<String> names = zip.stream().map(ZipEntry::getName).filter(n -> !n.equals(MANIFEST)).collect(Collectors.toSet());
            for (String name : names) {
                if (!listed.containsKey(name)) {
                    throw new UpdateRefusedException(Reason.TAMPERED, name + " is not in the manifest");
                }
            }
            for (UpdateManifest.FileEntry f : manifest.files()) {
                ZipEntry entry = zip.getEntry(f.path());
                if (entry == null) {
                    throw new UpdateRefusedException(Reason.TAMPERED, f.path() + " is missing");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    check(f, in, OutputStream.nullOutputStream());
                }
            }
        } catch (IOException e) {
            throw new UpdateRefusedException(Reason.MALFORMED, "cannot read the bundle: " + e.getMessage());
        }
        return manifest;
    }

    /** Unpacks a verified bundle into an empty slot, checking each file again as it is written, each fsynced. */
    public static void extract(Path bundle, UpdateManifest manifest, Path slot, Slots.Step step) throws IOException {
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            for (UpdateManifest.FileEntry f : manifest.files()) {
                Path target = slot.resolve(f.path()).normalize();
                if (!target.startsWith(slot)) {
                    throw new UpdateRefusedException(Reason.MALFORMED, f.path() + " leaves the slot");
                }
                Files.createDirectories(target.getParent());
                step.before("file:" + f.path());
                ZipEntry entry = zip.getEntry(f.path());
                if (entry == null) {
                    throw new UpdateRefusedException(Reason.TAMPERED, f.path() + " is missing");
                }
                try (InputStream in = zip.getInputStream(entry);
                     FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    check(f, in, java.nio.channels.Channels.newOutputStream(ch));
                    ch.force(true);
                }
            }
        }
    }

    private static void check(UpdateManifest.FileEntry f, InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = sha256();
        byte[] buf = new byte[BUFFER];
        long size = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            size += n;
            if (size > f.size()) {
                throw new UpdateRefusedException(Reason.TAMPERED, f.path() + " is larger than the manifest says");
            }
            digest.update(buf, 0, n);
            out.write(buf, 0, n);
        }
        if (size != f.size()) {
            throw new UpdateRefusedException(Reason.TAMPERED, f.path() + " has " + size + " bytes, the manifest says " + f.size());
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(f.sha256())) {
            throw new UpdateRefusedException(Reason.TAMPERED, f.path() + ": SHA-256 differs from the manifest");
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
