package io.latchkey.provisioning.bundle;

import java.nio.charset.StandardCharsets;

/** One file of a device bundle; {@code secret} files are created 0600, the others 0644. */
public record BundleFile(String name, byte[] content, boolean secret) {
    public static BundleFile text(String name, String content, boolean secret) {
        return new BundleFile(name, content.getBytes(StandardCharsets.UTF_8), secret);
    }
}
