package io.latchkey.protocol.ota;

import io.latchkey.protocol.Topic;
import io.latchkey.protocol.ota.UpdateRefusedException.Reason;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an update bundle holds (docs/ota.md §1), signed by the tenant's update key as a
 * {@link io.latchkey.protocol.key.TenantSigned} document of kind {@code UPDATE_MANIFEST}.
 *
 * @param v              format version, 1
 * @param type           {@value #TYPE}
 * @param tenant         the tenant whose cars may install it
 * @param version        the agent version inside
 * @param minVersion     the lowest running version that may update to it (null: any)
 * @param allowDowngrade whether a device running a newer version may install it (default false)
 * @param configSchema   the runtime configuration schema version the release needs (the device refuses a newer one)
 * @param createdAt      when it was built
 * @param files          every file of the release, relative to the slot, with size and SHA-256
 */
public record UpdateManifest(int v, String type, String tenant, String version, String minVersion, boolean allowDowngrade,
                             int configSchema, Instant createdAt, List<FileEntry> files) {
    public static final String TYPE = "latchkey.update-manifest";
    /** The one file every release has: what the launcher puts on the classpath first. */
    public static final String AGENT_JAR = "device-agent.jar";
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)*([-~+][A-Za-z0-9.]+)?");

    /** One file: its path in the slot (no {@code ..}, no leading {@code /}), its size in bytes and lower-case hex SHA-256. */
    public record FileEntry(String path, long size, String sha256) {
    }

    /** @throws UpdateRefusedException {@code MALFORMED} naming the first bad field */
    public UpdateManifest checked() {
        if (v != 1 || !TYPE.equals(type)) {
            throw malformed("not a version 1 " + TYPE);
        }
        if (!Topic.isValidTenantId(tenant)) {
            throw malformed("tenant missing or invalid");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw malformed("version missing or not like 1.2.3");
        }
        if (minVersion != null && !VERSION.matcher(minVersion).matches()) {
            throw malformed("minVersion not like 1.2.3");
        }
        if (configSchema < 1 || createdAt == null || files == null || files.isEmpty()) {
            throw malformed("configSchema >= 1, createdAt and files are required");
        }
        Set<String> seen = new HashSet<>();
        for (FileEntry f : files) {
            if (f == null || f.path() == null || !PATH.matcher(f.path()).matches() || f.path().contains("..")
                    || f.path().equals("manifest")) {
                throw malformed("a file path is missing, absolute, holds '..' or is 'manifest'");
            }
            if (f.size() < 0 || f.sha256() == null || !HEX.matcher(f.sha256()).matches()) {
                throw malformed(f.path() + ": size >= 0 and a lower-case hex sha256 are required");
            }
            if (!seen.add(f.path())) {
                throw malformed(f.path() + " is listed twice");
            }
        }
        if (!seen.contains(AGENT_JAR)) {
            throw malformed("no " + AGENT_JAR);
        }
        return this;
    }

    private static UpdateRefusedException malformed(String detail) {
        return new UpdateRefusedException(Reason.MALFORMED, "manifest: " + detail);
    }
}
