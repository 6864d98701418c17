package io.latchkey.agent.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.ota.UpdateManifest;
import io.latchkey.protocol.ota.UpdateRefusedException;
import io.latchkey.protocol.ota.UpdateRefusedException.Reason;
import io.latchkey.protocol.ota.UpdateVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateBundleTest {
    @TempDir
    Path tmp;
    final UpdateVerifier verifier = new UpdateVerifier(Map.of("upd-1", Releases.UPDATE_KEY.getPublic()), "acme", 1);

    @Test
    void aSignedBundle_verifies_andUnpacksIntoASlot() throws Exception {
        Path bundle = Releases.bundle(tmp, "acme", "0.2.0", false);
        UpdateManifest m = UpdateBundle.verify(bundle, verifier, "0.1.0");
        assertThat(m.files()).extracting(UpdateManifest.FileEntry::path).containsExactly("device-agent.jar", "lib/protocol.jar");

        Path slot = Files.createDirectories(tmp.resolve("slot"));
        UpdateBundle.extract(bundle, m, slot, Slots.Step.NONE);
        assertThat(slot.resolve("device-agent.jar")).hasContent("agent 0.2.0");
        assertThat(slot.resolve("lib/protocol.jar")).exists();
    }

    @Test
    void aChangedFile_anAddedFile_aMissingFile_areRefusedAsTampered() throws Exception {
        Path bundle = Releases.bundle(tmp, "acme", "0.2.0", false);
        assertRefused(rewrite(bundle, "changed", (name, bytes) -> name.equals("lib/protocol.jar") ? "protocol 0.2.1".getBytes() : bytes),
                Reason.TAMPERED, "lib/protocol.jar");
        // same size, one byte flipped: only the hash tells
        assertRefused(rewrite(bundle, "flipped", (name, bytes) -> {
            if (name.equals("device-agent.jar")) {
                bytes = bytes.clone();
                bytes[0] ^= 1;
            }
            return bytes;
        }), Reason.TAMPERED, "SHA-256");
        assertRefused(rewrite(bundle, "dropped", (name, bytes) -> name.equals("lib/protocol.jar") ? null : bytes), Reason.TAMPERED, "missing");
        Path added = rewrite(bundle, "added", (name, bytes) -> bytes);
        try (ZipOutputStream z = appendTo(added)) {
            z.putNextEntry(new ZipEntry("lib/evil.jar"));
            z.write(1);
        }
        assertRefused(added, Reason.TAMPERED, "lib/evil.jar");
    }

    @Test
    void anUnsignedBundle_aForeignTenantsBundle_aDowngrade_andJunk_areRefused() throws Exception {
        Path bundle = Releases.bundle(tmp, "acme", "0.2.0", false);
        assertRefused(rewrite(bundle, "unsigned", (name, bytes) -> name.equals("manifest") ? null : bytes), Reason.UNSIGNED, "no manifest");
        assertRefused(rewrite(bundle, "nosig", (name, bytes) -> name.equals("manifest")
                ? new String(bytes).replaceAll("\"signature\":\"[^\"]*\"", "\"signature\":\"\"").getBytes() : bytes), Reason.UNSIGNED, "");
        assertRefused(Releases.bundle(tmp, "globex", "0.2.0", false), Reason.WRONG_TENANT, "globex");
        assertRefused(Releases.bundle(tmp, "acme", "0.0.5", false), Reason.DOWNGRADE, "0.0.5");
        assertThat(UpdateBundle.verify(Releases.bundle(tmp, "acme", "0.0.6", true), verifier, "0.1.0").version()).isEqualTo("0.0.6");
        Path junk = Files.writeString(tmp.resolve("junk.zip"), "not a zip");
        assertRefused(junk, Reason.MALFORMED, "not a zip");
    }

    private void assertRefused(Path bundle, Reason reason, String detail) {
        assertThatThrownBy(() -> UpdateBundle.verify(bundle, verifier, "0.1.0")).isInstanceOf(UpdateRefusedException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((UpdateRefusedException) e).reason()).isEqualTo(reason));
    }

    /** A copy of the bundle, each entry's bytes through {@code change} (null drops it). */
    private Path rewrite(Path bundle, String name, BiFunction<String, byte[], byte[]> change) throws IOException {
        Path out = tmp.resolve(name + ".zip");
        try (ZipFile in = new ZipFile(bundle.toFile()); ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : in.stream().toList()) {
                byte[] bytes = change.apply(e.getName(), in.getInputStream(e).readAllBytes());
                if (bytes != null) {
                    z.putNextEntry(new ZipEntry(e.getName()));
                    z.write(bytes);
                }
            }
        }
        return out;
    }

    /** Rewrites {@code zip} in place and leaves the stream open for more entries. */
    private ZipOutputStream appendTo(Path zip) throws IOException {
        Path copy = tmp.resolve("copy-" + zip.getFileName());
        Files.move(zip, copy);
        ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
        try (ZipFile in = new ZipFile(copy.toFile())) {
            for (ZipEntry e : in.stream().toList()) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(in.getInputStream(e).readAllBytes());
            }
        }
        return z;
    }
}
