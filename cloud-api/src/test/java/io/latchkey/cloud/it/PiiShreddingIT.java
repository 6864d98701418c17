package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.pii.PiiErasedException;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Crypto-shredding (issue 16): personal data is sealed under per-user keys, and terminating an account destroys
 * its key, so copies of the store taken before the termination (a backup: plain copies of the stored files) yield
 * nothing of it afterwards, while every other account's data still opens from the same copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PiiShreddingIT {
    static final ObjectMapper MAPPER = Json.mapper();
    static final Pattern SEALED = Pattern.compile("pii1:[A-Za-z0-9+/=]+");

    @TempDir
    static Path dataDir;
    @TempDir
    static Path backups;
    CloudApp app;
    String tenantAdmin;

    /** One person's identifying values as they type them, and as they are stored normalised. */
    record Person(String email, String name, String phone, String licence, String dateOfBirth) {
        List<String> clearValues() {
            return List.of(email, name, phone.replaceAll("[^0-9]", ""), licence, dateOfBirth, name.split(" ")[1]);
        }
    }

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        tenantAdmin = app.tenantWithAdmin("acme");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void resetClock() {
        app.clock().reset();
    }

    @Test
    void afterTermination_aCopyOfTheStoreTakenBefore_yieldsNothingOfTheUser_butEveryoneElsesDataStillOpens() {
        Person tess = new Person("tess.shredded@acme.test", "Tess Shredded", "+44 20 7946 0958", "TESSX901234", "1985-02-03");
        Person bob = new Person("bob.kept@acme.test", "Bob Kept", "+49 30 5550 1234", "BOBK55512", "1979-11-30");
        String tessId = registerWithProfile(tess);
        String bobId = registerWithProfile(bob);
        String tessToken = app.token("acme", tess.email());
        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", tess.email())));
        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", bob.email())));
        assertThat(Mailbox.messagesTo(dataDir, "acme", tess.email())).hasSize(1);
        for (String clear : concat(tess.clearValues(), bob.clearValues())) {
            assertThat(DataDir.filesContaining(dataDir, clear)).as("never stored in clear: " + clear).isEmpty();
        }
        Path backup = copy(dataDir.resolve("tenants/acme"), backups.resolve("before-termination"));

        expect(204, app.http.delete("/t/acme/users/me", tessToken));

        // the copy: no clear value, and no sealed value of Tess opens with the live keys; Bob's all open
        for (String clear : concat(tess.clearValues(), bob.clearValues())) {
            assertThat(DataDir.filesContaining(backup, clear)).as(clear).isEmpty();
        }
        List<Sealed> sealed = sealedValuesIn(backup);
        assertThat(sealed).extracting(Sealed::userId).contains(tessId, bobId);
        assertThat(sealed.stream().filter(s -> s.record().startsWith("outbox/")).map(Sealed::userId)).contains(tessId, bobId);
        assertThat(sealed).hasSize(countMatches(backup, SEALED));
        PiiCipher cipher = app.context().getBean(PiiCipher.class);
        for (Sealed s : sealed) {
            if (s.userId().equals(tessId)) {
                assertThatThrownBy(() -> cipher.open("acme", s.userId(), s.record(), s.value()))
                        .as(s.record()).isInstanceOf(PiiErasedException.class);
            } else {
                String opened = cipher.open("acme", s.userId(), s.record(), s.value());
                if (s.userId().equals(bobId)) {
                    assertThat(opened).as("the test can open what is not erased").contains(bob.email());
                }
            }
        }
        SecretStore secrets = app.context().getBean(SecretStore.class);
        assertThat(secrets.get("acme", PiiCipher.USER_KEY_PREFIX + tessId)).isEmpty();
        assertThat(secrets.get("acme", PiiCipher.USER_KEY_PREFIX + bobId)).isPresent();

        // what the policy keeps: the record (id, roles, dates) and the audit facts, without PII
        JsonNode record = expect(200, app.http.get("/t/acme/users/" + tessId, tenantAdmin)).json();
        assertThat(record.path("status").asText()).isEqualTo("TERMINATED");
        assertThat(record.has("email")).isFalse();
        JsonNode audit = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
        List<String> tessActions = new ArrayList<>();
        audit.forEach(r -> {
            if (r.path("subject").asText().equals("user/" + tessId)) {
                tessActions.add(r.path("action").asText() + " " + r.path("outcome").asText());
            }
        });
        assertThat(tessActions).contains("user.register OK", "user.terminate OK", "user.pii.shred KEY_DESTROYED");
        assertThat(expect(200, app.http.get("/t/acme/audit/verify", tenantAdmin)).text("status")).isEqualTo("OK");

        // live users are unaffected: sign-in, their profile, password reset and its mail
        String bobToken = app.token("acme", bob.email());
        JsonNode me = expect(200, app.http.get("/t/acme/users/me", bobToken)).json();
        assertThat(me.path("phone").asText()).isEqualTo("+4930" + "55501234");
        assertThat(me.path("driverLicence").asText()).isEqualTo(bob.licence());
        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", bob.email())));
        assertThat(Mailbox.messagesTo(dataDir, "acme", bob.email())).hasSize(2);
        assertThat(Mailbox.lastResetToken(dataDir, "acme", bob.email())).isPresent();
        assertThat(Mailbox.messagesTo(dataDir, "acme", tess.email())).isEmpty();

        // a restore of the copy brings Tess's documents back, but not her data: she reads as erased, cannot sign in
        restoreDocuments(backup, "users");
        restoreDocuments(backup, "emails");
        JsonNode restored = expect(200, app.http.get("/t/acme/users/" + tessId, tenantAdmin)).json();
        assertThat(restored.path("status").asText()).isEqualTo("TERMINATED");
        assertThat(restored.path("name").asText()).isEqualTo("Former user");
        assertThat(restored.has("email")).isFalse();
        Http.Reply signIn = app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", tess.email(), "password", PASSWORD));
        assertThat(signIn.status()).isEqualTo(400);
        expect(200, app.http.get("/t/acme/users/me", app.token("acme", bob.email())));
    }

    @Test
    void aDataKeyThatDoesNotOpen_isAClear503_withNoPiiInTheAnswerOrTheLog() {
        Person carl = new Person("carl.keyless@acme.test", "Carl Keyless", "+33 1 5550 9876", "CARL4242", "1990-04-30");
        String carlId = registerWithProfile(carl);
        String other = registerWithProfile(new Person("dora.other@acme.test", "Dora Other", "+33 1 5550 1111", "DORA1", "1991-01-01"));
        String token = app.token("acme", carl.email());
        SecretStore secrets = app.context().getBean(SecretStore.class);
        String carlsKey = secrets.get("acme", PiiCipher.USER_KEY_PREFIX + carlId).orElseThrow();
        String dorasKey = secrets.get("acme", PiiCipher.USER_KEY_PREFIX + other).orElseThrow();
        LogCapture logs = LogCapture.attach();
        try {
            secrets.update("acme", PiiCipher.USER_KEY_PREFIX + carlId, old -> dorasKey); // wrapped for another user
            app.clock().advance(PiiCipher.USER_KEY_FRESH_FOR.plus(Duration.ofSeconds(1)));

            Http.Reply reply = app.http.get("/t/acme/users/" + carlId, tenantAdmin);

            assertThat(reply.status()).as(reply.body()).isEqualTo(503);
            assertThat(reply.text("detail")).contains(carlId).contains("does not open");
            Http.Reply own = app.http.get("/t/acme/users/me", token);
            assertThat(own.status()).as(own.body()).isEqualTo(503);
            for (String clear : carl.clearValues()) {
                assertThat(reply.body()).doesNotContain(clear);
                assertThat(own.body()).doesNotContain(clear);
                assertThat(logs.text()).doesNotContain(clear);
            }
        } finally {
            logs.stop();
            secrets.update("acme", PiiCipher.USER_KEY_PREFIX + carlId, old -> carlsKey);
        }
        assertThat(expect(200, app.http.get("/t/acme/users/me", token)).text("driverLicence")).isEqualTo(carl.licence());
    }

    private String registerWithProfile(Person p) {
        String id = expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", p.email(), "name", p.name(), "password", PASSWORD))).text("id");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", p.email()), Map.of(
                "phone", p.phone(), "driverLicence", p.licence(), "dateOfBirth", p.dateOfBirth())));
        return id;
    }

    /** A sealed value found in a copy of the tenant's files, with the record it was sealed for. */
    record Sealed(String userId, String record, String value) {
    }

    /** Every sealed value of the user documents and the outbox in a copy of a tenant's directory. */
    static List<Sealed> sealedValuesIn(Path tenantCopy) {
        List<Sealed> found = new ArrayList<>();
        try {
            Path users = tenantCopy.resolve("docs/users");
            try (Stream<Path> docs = Files.list(users)) {
                for (Path doc : docs.toList()) {
                    JsonNode user = MAPPER.readTree(doc.toFile());
                    if (user.hasNonNull("pii")) {
                        String id = user.path("id").asText();
                        found.add(new Sealed(id, "users/" + id, user.path("pii").asText()));
                    }
                }
            }
            Path outbox = tenantCopy.resolve("outbox.jsonl");
            if (Files.exists(outbox)) {
                for (String line : Files.readAllLines(outbox)) {
                    JsonNode m = MAPPER.readTree(line);
                    found.add(new Sealed(m.path("userId").asText(), "outbox/" + m.path("id").asText(), m.path("sealed").asText()));
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int countMatches(Path root, Pattern pattern) {
        try (Stream<Path> files = Files.walk(root)) {
            int n = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = pattern.matcher(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void restoreDocuments(Path backup, String collection) {
        try (Stream<Path> docs = Files.list(backup.resolve("docs").resolve(collection))) {
            for (Path doc : docs.toList()) {
                Files.copy(doc, dataDir.resolve("tenants/acme/docs").resolve(collection).resolve(doc.getFileName().toString()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Every log line of the backend, formatted with its stack traces, while it runs. */
    static final class LogCapture extends AppenderBase<ILoggingEvent> {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        static LogCapture attach() {
            LogCapture capture = new LogCapture();
            capture.start();
            root().addAppender(capture);
            return capture;
        }

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage());
            for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }

        String text() {
            return String.join("\n", lines);
        }

        @Override
        public void stop() {
            root().detachAppender(this);
            super.stop();
        }

        private static Logger root() {
            return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        }
    }
}
