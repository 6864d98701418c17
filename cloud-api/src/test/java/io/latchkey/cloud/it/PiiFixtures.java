package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** People with personal data, and the sealed values of a tenant's files (crypto-shredding and backup tests). */
public final class PiiFixtures {
    public static final ObjectMapper MAPPER = Json.mapper();
    public static final Pattern SEALED = Pattern.compile("pii1:[A-Za-z0-9+/=]+");

    private PiiFixtures() {
    }

    /** One person's identifying values as they type them, and as they are stored normalised. */
    public record Person(String email, String name, String phone, String licence, String dateOfBirth) {
        public List<String> clearValues() {
            return List.of(email, name, phone.replaceAll("[^0-9]", ""), licence, dateOfBirth, name.split(" ")[1]);
        }
    }

    /** Registers {@code p} and gives the account phone, driving licence and date of birth; returns the user id. */
    public static String registerWithProfile(CloudApp app, String tenant, Person p) {
        String id = expect(201, app.http.postJson("/t/" + tenant + "/users", null,
                Map.of("email", p.email(), "name", p.name(), "password", PASSWORD))).text("id");
        expect(200, app.http.patchJson("/t/" + tenant + "/users/me", app.token(tenant, p.email()), Map.of(
                "phone", p.phone(), "driverLicence", p.licence(), "dateOfBirth", p.dateOfBirth())));
        return id;
    }

    /** A sealed value found in a copy of the tenant's files, with the record it was sealed for. */
    public record Sealed(String userId, String record, String value) {
    }

    /** Every sealed value of the user documents and the outbox in a copy of a tenant's directory. */
    public static List<Sealed> sealedValuesIn(Path tenantCopy) {
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

    public static int countMatches(Path root, Pattern pattern) {
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

    public static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

}
