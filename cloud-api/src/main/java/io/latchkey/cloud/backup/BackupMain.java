package io.latchkey.cloud.backup;

import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.azure.AzureAccounts;
import io.latchkey.cloud.store.azure.AzureStoreConfig;
import io.latchkey.cloud.store.azure.AzureStores;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.MapPropertySource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code ./latchkey backup} and {@code ./latchkey restore}. They read the backend's settings (application.yml,
 * {@code -D} properties, {@code LATCHKEY_...} environment variables) for the store ({@code latchkey.store.type},
 * the data directory, the Azure accounts' connection strings, which must be in configuration here) and start
 * nothing else, so a backup runs beside a running backend.
 */
public final class BackupMain {
    static final String USAGE = """
            Usage: latchkey backup --out DIR [--tenant T] [--data-dir D]
                     Copies the platform's and every tenant's store (or the platform's and one tenant's) into the new
                     directory DIR with manifest.json (files, sizes, SHA-256, record counts, audit chain heads, time),
                     online. Prints the manifest's SHA-256: keep it apart from the backup.
                   latchkey restore --from DIR [--data-dir NEW] [--master-key FILE] [--expect-sha256 HEX] [--check]
                     Checks the backup completely (refusing an incomplete, truncated or altered one, changing
                     nothing), then copies it into the empty store configured (file: the new data directory NEW; azure:
                     the accounts in configuration), and verifies every tenant's audit chain there. --master-key is
                     the file secret store's master key (a copy of {data-dir}/platform/master.key), required when the
                     backup holds that store's sealed files. --check only checks.
            """;

    private BackupMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, Map.of(), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("latchkey: " + e.getMessage());
            System.err.print(USAGE);
            status = 2;
        } catch (RuntimeException e) {
            System.err.println("latchkey: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    /** Runs one command; {@code overrides} stand in for -D settings (tests). Returns the exit status. */
    static int run(String[] args, Map<String, Object> overrides, PrintStream out) {
        if (args.length == 0 || !(args[0].equals("backup") || args[0].equals("restore"))) {
            throw new IllegalArgumentException("backup or restore?");
        }
        Map<String, String> options = new HashMap<>();
        boolean check = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new IllegalArgumentException("help");
            }
            if (arg.equals("--check")) {
                check = true;
                continue;
            }
            if (!List.of("--out", "--tenant", "--data-dir", "--from", "--master-key", "--expect-sha256").contains(arg)) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            options.put(arg, args[++i]);
        }
        Map<String, Object> settings = new HashMap<>(overrides);
        Optional.ofNullable(options.get("--data-dir")).ifPresent(d -> settings.put("latchkey.data-dir", d));
        try (Environment environment = environment(settings)) {
            return args[0].equals("backup") ? backup(environment, options, out) : restore(environment, options, check, out);
        }
    }

    private static int backup(Environment environment, Map<String, String> options, PrintStream out) {
        Path dir = Path.of(require(options, "--out")).toAbsolutePath();
        String storeType = storeType(environment);
        Stores stores = stores(environment, storeType);
        List<String> tenants = BackupSource.tenantsOf(stores, options.get("--tenant"));
        String secretsType = environment.getProperty("latchkey.secrets.type", String.class).orElse("file");
        Map<String, Path> sealed = secretsType.equals("file")
                ? BackupSource.sealedSecrets(dataDir(environment), tenants, true) : Map.of();
        BackupManifest manifest = new Backup(Clock.systemUTC()).write(new BackupSource(storeType, stores, tenants, sealed), dir);
        out.println("latchkey backup: wrote " + dir + " (" + manifest.files().size() + " files, "
                + manifest.scopes().size() + " scopes, " + (manifest.finishedAt().toEpochMilli() - manifest.startedAt().toEpochMilli())
                + " ms)");
        for (BackupManifest.Scope scope : manifest.scopes()) {
            out.println("  " + scope.scope() + ": " + scope.documents() + " documents, " + scope.streams() + " streams, "
                    + scope.records() + " records" + (scope.consistent() ? "" : ", NOT one snapshot: documents kept changing: "
                    + scope.changedDuringBackup()));
        }
        out.println("  manifest SHA-256: " + Backup.manifestDigest(dir));
        switch (secretsType) {
            case "file" -> out.println("  secrets: the file secret store's sealed files are in the backup; its master key ("
                    + dataDir(environment).resolve("platform").resolve("master.key") + ") is not: keep a copy apart");
            case "store" -> out.println("  secrets: sealed documents in each store are in the backup; the key-encryption key "
                    + "(latchkey.secrets.key-encryption-key) is not: keep it apart");
            default -> out.println("  secrets: kept in the key vault, not in this backup (use the vault's soft delete and backup)");
        }
        return 0;
    }

    private static int restore(Environment environment, Map<String, String> options, boolean check, PrintStream out) {
        Path from = Path.of(require(options, "--from")).toAbsolutePath();
        BackupManifest manifest = Restore.verify(from, options.get("--expect-sha256"));
        boolean hasSealed = manifest.files().stream().anyMatch(f -> f.path().startsWith("secrets/"));
        if (check) {
            out.println("latchkey restore: " + from + " is complete and intact (taken " + manifest.startedAt() + ", "
                    + manifest.files().size() + " files, audit chains of " + manifest.audit().keySet() + " verify)");
            return 0;
        }
        String storeType = storeType(environment);
        Path secretsDir = null;
        byte[] masterKey = null;
        if (storeType.equals("file")) {
            Path dataDir = dataDir(environment);
            Backup.requireEmptyOrAbsent(dataDir);
            if (hasSealed) {
                masterKey = masterKey(options.get("--master-key"));
                secretsDir = dataDir.resolve("secrets");
            }
        } else if (hasSealed) {
            throw new BackupException("refused: the backup holds the file secret store's sealed files; restore it into a "
                    + "file store (--data-dir), or move the secrets to the target's secret store first");
        }
        Stores target = stores(environment, storeType);
        Restore.Result result = Restore.restore(from, target, secretsDir, options.get("--expect-sha256"));
        if (masterKey != null) {
            try {
                Path keyFile = dataDir(environment).resolve("platform").resolve("master.key");
                PrivateFiles.createDirectories(keyFile.getParent());
                PrivateFiles.write(keyFile, masterKey);
            } catch (IOException e) {
                throw new BackupException("cannot write the master key: " + e.getMessage(), e);
            }
        }
        out.println("latchkey restore: restored " + from + " (taken " + result.manifest().startedAt() + ") into the "
                + storeType + " store" + (storeType.equals("file") ? " " + dataDir(environment) : ""));
        result.audit().forEach((tenant, chain) -> out.println("  audit chain of " + tenant + ": " + chain.status() + ", "
                + chain.records() + " records"));
        return 0;
    }

    private static byte[] masterKey(String file) {
        if (file == null) {
            throw new BackupException("refused: the backup holds the file secret store's sealed files; give its master key "
                    + "with --master-key FILE (a copy of the old {data-dir}/platform/master.key)");
        }
        try {
            byte[] content = Files.readAllBytes(Path.of(file));
            byte[] key = Base64.getDecoder().decode(new String(content, java.nio.charset.StandardCharsets.US_ASCII).strip());
            if (key.length != 32) {
                throw new IllegalArgumentException("not 32 bytes");
            }
            return content;
        } catch (IOException | IllegalArgumentException e) {
            throw new BackupException("refused: " + file + " is not a master key (base64 of 32 bytes)");
        }
    }

    static Environment environment(Map<String, Object> settings) {
        Environment environment = new DefaultEnvironment(List::of);
        environment.addPropertySource(MapPropertySource.of("command-line", settings));
        return environment.start();
    }

    private static String storeType(Environment environment) {
        String type = environment.getProperty("latchkey.store.type", String.class).orElse("file");
        if (!type.equals("file") && !type.equals("azure")) {
            throw new IllegalArgumentException("latchkey.store.type must be file or azure, got '" + type + "'");
        }
        return type;
    }

    private static Path dataDir(Environment environment) {
        return Path.of(environment.getProperty("latchkey.data-dir", String.class).orElse("./data")).toAbsolutePath().normalize();
    }

    static Stores stores(Environment environment, String type) {
        if (type.equals("file")) {
            return FileScopes.reading(dataDir(environment));
        }
        AzureStoreConfig config = new AzureStoreConfig(
                environment.getProperty("latchkey.store.azure.container", String.class).orElse("latchkey"),
                environment.getProperty("latchkey.store.azure.segment-bytes", Long.class).orElse(4L * 1024 * 1024),
                environment.getProperty("latchkey.store.azure.timeout", Duration.class).orElse(Duration.ofSeconds(30)));
        return new AzureStores(new AzureAccounts(environment, NO_SECRETS, config), config);
    }

    /** The commands take the accounts' connection strings from configuration only. */
    private static final SecretStore NO_SECRETS = new SecretStore() {
        @Override
        public Optional<String> get(String scope, String name) {
            return Optional.empty();
        }

        @Override
        public String getOrCreate(String scope, String name, Supplier<String> generator) {
            throw new UnsupportedOperationException("backup and restore create no secrets");
        }
    };

    private static String require(Map<String, String> options, String option) {
        String value = options.get(option);
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value;
    }
}
