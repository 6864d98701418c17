package io.latchkey.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sim bench}'s work directory: a temporary one is deleted at the end (also when the run fails), unless
 * {@code --keep}; one given with {@code --data-dir} is never deleted. The runs here fail at once, on a cloud-api
 * build output that does not exist, after the work directory was made.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out) {
        Path said(String pattern) {
            Matcher m = Pattern.compile(pattern + " (\\S+)").matcher(out);
            assertThat(m.find()).as("printed: " + pattern + "\n" + out).isTrue();
            return Path.of(m.group(1));
        }
    }

    private Run bench(String... extra) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int code;
        try {
            String[] args = new String[extra.length + 6];
            System.arraycopy(new String[] {"--cars", "2", "--fault-cars", "0", "--cloud-api-target",
                    dir.resolve("no-such-build").toString()}, 0, args, 0, 6);
            System.arraycopy(extra, 0, args, 6, extra.length);
            code = new CommandLine(new BenchCommand()).setErr(new java.io.PrintWriter(buffer, true)).execute(args);
        } finally {
            System.setOut(original);
        }
        return new Run(code, buffer.toString(StandardCharsets.UTF_8));
    }

    @Test
    void storeAccounts_areReadWhole_andAWrongOneIsAUsageError_beforeAnythingStarts() throws Exception {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[64]);
        Path file = dir.resolve("accounts.properties");
        Files.writeString(file, "# each tenant's account\n"
                + "bench-2=DefaultEndpointsProtocol=http;AccountName=bench2;AccountKey=" + key
                + ";BlobEndpoint=http://10.0.0.7:10000/bench2\n");
        assertThat(BenchCommand.storeAccounts(file)).containsOnlyKeys("bench-2");
        assertThat(BenchCommand.storeAccounts(file).get("bench-2"))
                .isEqualTo("DefaultEndpointsProtocol=http;AccountName=bench2;AccountKey=" + key
                        + ";BlobEndpoint=http://10.0.0.7:10000/bench2");

        Run notAzurite = bench("--tenants", "2", "--store-accounts", file.toString());
        assertThat(notAzurite.exitCode()).isEqualTo(2);
        assertThat(notAzurite.out()).contains("--store-accounts needs --store azurite").doesNotContain(key);

        Files.writeString(file, "bench-7=AccountName=x;AccountKey=" + key + ";BlobEndpoint=http://h/x\n");
        Run unknown = bench("--tenants", "2", "--store", "azurite", "--store-accounts", file.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).contains("bench-7", "neither platform nor one of the bench's tenants [bench, bench-2]")
                .doesNotContain("deleting the work directory");
    }

    @Test
    void withoutDataDir_theTemporaryWorkDirectoryIsDeleted_evenWhenTheRunFails() {
        Run run = bench("--broker", "mosquitto");
        Path work = run.said("deleting the work directory");
        assertThat(run.exitCode()).isNotZero();
        assertThat(work.getFileName().toString()).startsWith("latchkey-bench");
        assertThat(work).doesNotExist();
    }

    @Test
    void keep_keepsTheTemporaryWorkDirectory_andSaysWhere() throws Exception {
        Run run = bench("--broker", "mosquitto", "--keep");
        Path work = run.said("work directory kept:");
        try {
            assertThat(work).isDirectory();
            assertThat(work.getFileName().toString()).startsWith("latchkey-bench");
        } finally {
            BenchCommand.deleteTree(work);
        }
        assertThat(work).doesNotExist();
    }

    @Test
    void aDataDirectoryGivenWithDataDir_isNeverDeleted() throws Exception {
        Path given = dir.resolve("given");
        Files.createDirectories(given);
        Files.writeString(given.resolve("mine.txt"), "keep me");
        Run run = bench("--broker", "mosquitto", "--data-dir", given.toString());
        assertThat(run.said("work directory kept:")).isEqualTo(given);
        assertThat(given.resolve("mine.txt")).hasContent("keep me");
    }

    @Test
    void moreTenantsThanCars_isAUsageError_beforeAnythingIsMade() {
        Run run = bench("--tenants", "3");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("--cars 2 cannot be split over --tenants 3").doesNotContain("deleting the work directory").doesNotContain("work directory kept:");
        assertThat(bench("--tenants", "0").out()).contains("--tenants must be at least 1");
    }
}
