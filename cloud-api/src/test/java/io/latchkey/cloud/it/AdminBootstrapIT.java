package io.latchkey.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a configured password, the first start generates one, prints it once and stores only its hash. */
class AdminBootstrapIT {
    private static final Pattern PRINTED = Pattern.compile("User: admin {2}Password: (\\S+)");

    @TempDir
    Path dataDir;

    @Test
    void generatedPassword_isPrintedOnce_worksForSignIn_andIsStoredOnlyHashed() throws Exception {
        String firstOutput = startCapturingStdout(server -> {
            // nothing to do: the password is printed during start-up
        });
        Matcher printed = PRINTED.matcher(firstOutput);
        assertThat(printed.find()).as(firstOutput).isTrue();
        String password = printed.group(1);
        assertThat(password.length()).isGreaterThanOrEqualTo(24);

        String secondOutput = startCapturingStdout(server -> {
            try (HttpClient client = HttpClient.create(server.getURL())) {
                Http.Reply reply = new Http(client).postForm("/platform/oauth/token",
                        Map.of("grant_type", "password", "username", "admin", "password", password));
                assertThat(reply.status()).isEqualTo(200);
            }
        });
        assertThat(secondOutput).doesNotContain(password).doesNotContain("Password:");
        assertThat(filesContaining(dataDir, password)).isEmpty();
    }

    interface WithServer {
        void run(EmbeddedServer server) throws Exception;
    }

    private String startCapturingStdout(WithServer body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "latchkey.data-dir", dataDir.toString(),
                "latchkey.mqtt.port", 0,
                "latchkey.mqtt.persistence", "in-memory"), "test")) {
            body.run(server);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static java.util.List<Path> filesContaining(Path root, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                            .contains(new String(needle, StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }
}
