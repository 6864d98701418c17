package io.latchkey.cloud.backup;

import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a backup copies: the platform's store, the stores of the chosen tenants, and the file secret store's sealed
 * files (without the master key). The tenants are those of the platform's {@code tenants} collection.
 */
public record BackupSource(String kind, Stores stores, List<String> tenants, Map<String, Path> sealedSecretFiles) {
    /** The platform collection that lists tenants ({@code tenant.TenantDirectory}). */
    static final String TENANTS = "tenants";

    public BackupSource {
        tenants = List.copyOf(tenants);
        sealedSecretFiles = Map.copyOf(sealedSecretFiles);
    }

    TenantStore platform() {
        return stores.platform();
    }

    TenantStore tenant(String id) {
        return stores.tenant(id);
    }

    /** Every tenant, or just {@code only} (which must exist). */
    public static List<String> tenantsOf(Stores stores, String only) {
        List<String> all = stores.platform().list(TENANTS);
        if (only == null) {
            return all;
        }
        if (!all.contains(only)) {
            throw new BackupException("there is no tenant " + only + " (tenants: " + String.join(", ", all) + ")");
        }
        return List.of(only);
    }

    /** The file secret store's sealed files ({@code {data-dir}/secrets/{scope}.enc}) of the platform and the tenants. */
    public static Map<String, Path> sealedSecrets(Path dataDir, List<String> tenants, boolean platform) {
        Map<String, Path> files = new TreeMap<>();
        Path dir = dataDir.resolve("secrets");
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(Files::isRegularFile).forEach(file -> {
                String name = file.getFileName().toString();
                if (name.endsWith(".enc")) {
                    String scope = name.substring(0, name.length() - ".enc".length());
                    if (tenants.contains(scope) || (platform && scope.equals("platform"))) {
                        files.put(scope, file);
                    }
                }
            });
        } catch (IOException e) {
            throw new BackupException("cannot read " + dir, e);
        }
        return files;
    }
}
