package io.latchkey.cloud.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document tells the truth. micronaut-openapi writes it while compiling (from the controllers'
 * {@code @Operation} and {@code @ApiResponse} annotations) to
 * {@code cloud-api/target/classes/META-INF/swagger/latchkey-api-0.1.yml}; {@code docs/openapi.yml} is the checked-in
 * copy, which must equal it. And the annotations themselves must say more than "200": every operation documents the
 * statuses it can answer (see docs/api.md, "How to document a route").
 *
 * <p>Regenerate {@code docs/openapi.yml} after changing a route with {@link #REGENERATE}.
 */
class OpenApiDocumentTest {
    static final String GENERATED = "META-INF/swagger/latchkey-api-0.1.yml";
    static final String REGENERATE = "./mvnw -q -pl cloud-api -am test -Dtest=OpenApiDocumentTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.write=true";

    /** Statuses some code path of the module answers (LatchkeyExceptionHandler, the security and OAuth handlers, controllers). */
    static final Set<String> REAL_STATUSES = Set.of("200", "201", "202", "204", "206", "400", "401", "403", "404", "409", "413",
            "416", "502", "503", "504");

    /** Downloads that honour Range: 200 the whole, 206 a part (RFC 9110), so two 2xx. */
    static final Set<String> RANGE_DOWNLOADS = Set.of("/t/{tenant}/releases/{releaseId}/bundle");

    /**
     * POSTs that create nothing addressable, so answer something else than 201, each with its one success status. Every
     * other POST creates and must document 201.
     */
    static final Map<String, String> POSTS_THAT_DO_NOT_CREATE = Map.ofEntries(
            Map.entry("/platform/oauth/token", "200"), // issues tokens (RFC 6749 answers 200)
            Map.entry("/t/{tenant}/oauth/token", "200"),
            Map.entry("/t/{tenant}/keys/rotate", "200"), // replaces the signing key in place
            Map.entry("/t/{tenant}/cars/{carId}/commands", "200"), // waits for the car's answer
            Map.entry("/t/{tenant}/devices/{deviceId}/decommission", "200"), // revokes
            Map.entry("/t/{tenant}/password-resets", "202"), // mails a link, or not, and never says which
            Map.entry("/t/{tenant}/password-resets/{token}", "204"), // sets a password
            Map.entry("/t/{tenant}/password-resets/{token}/answers", "200"),
            Map.entry("/t/{tenant}/users/{userId}/lock", "204"),
            Map.entry("/t/{tenant}/users/{userId}/unlock", "204"),
            Map.entry("/t/{tenant}/bookings/{id}/cancel", "200"), // changes the booking's state
            Map.entry("/t/{tenant}/bookings/{id}/extend", "200"), // changes the booking's end
            Map.entry("/t/{tenant}/bookings/{id}/end", "200"), // the car's answer: ended, or the checks that failed
            Map.entry("/t/{tenant}/events/{eventId}/ack", "200"), // marks the event acknowledged
            Map.entry("/t/{tenant}/keys/{keyId}/revoke", "200"), // marks the key revoked, a new revocation list
            Map.entry("/t/{tenant}/users/me/keys/revoke", "200"), // likewise, every key of the caller
            Map.entry("/t/{tenant}/rollouts/{rolloutId}/pause", "200"), // changes the rollout's state
            Map.entry("/t/{tenant}/rollouts/{rolloutId}/resume", "200"),
            Map.entry("/t/{tenant}/rollouts/{rolloutId}/cancel", "200"),
            Map.entry("/t/{tenant}/session/logout", "204")); // ends the browser session

    /** 201s without a Location: what they create has no URL of its own (said in their description). */
    static final Set<String> CREATED_WITHOUT_LOCATION = Set.of("/t/{tenant}/data-access", "/t/{tenant}/devices/{deviceId}/install-report",
            "/t/{tenant}/bookings/{id}/keys", // a key credential: listed under its booking, no URL of its own
            "/t/{tenant}/cars/batch"); // several cars, each at /t/{tenant}/cars/{id}

    /** Error bodies other than a problem: the token endpoints' RFC 6749 errors, the car's own answer to a command. */
    static final Set<String> OTHER_ERROR_SCHEMAS = Set.of("#/components/schemas/OAuthError", "#/components/schemas/CommandResult");

    @Test
    void docsOpenapiYml_isTheGeneratedDocument() throws IOException {
        String generated = generated();
        Path checkedIn = checkedIn();
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(checkedIn, generated, StandardCharsets.UTF_8);
            return;
        }
        String current = Files.readString(checkedIn, StandardCharsets.UTF_8);
        if (!current.equals(generated)) {
            throw new AssertionError("docs/openapi.yml is not the document generated from the controllers ("
                    + firstDifference(current, generated) + ").\nRegenerate it from the repository root with\n  " + REGENERATE
                    + "\nand commit it (never edit it by hand: change the @Operation/@ApiResponse annotations instead).");
        }
    }

    @Test
    void everyOperation_documentsItsErrorsAndItsRealSuccessStatus() throws IOException {
        List<String> failures = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths().entrySet()) {
            for (Map.Entry<String, Object> op : path.getValue().entrySet()) {
                if (!Set.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                    continue;
                }
                operations++;
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                failures.addAll(check(name, path.getKey(), op.getKey(), map(op.getValue())));
            }
        }
        assertThat(operations).as("operations in the document").isGreaterThan(30);
        assertThat(failures).as("operations documented wrongly; see docs/api.md, How to document a route").isEmpty();
    }

    static List<String> check(String name, String path, String method, Map<String, Object> operation) {
        List<String> failures = new ArrayList<>();
        Map<String, Object> responses = map(operation.get("responses"));
        Set<String> codes = new TreeSet<>(responses.keySet());
        Set<String> success = new TreeSet<>(codes.stream().filter(c -> c.startsWith("2")).toList());
        if (success.size() != 1 && !(RANGE_DOWNLOADS.contains(path) && success.equals(Set.of("200", "206")))) {
            failures.add(name + ": documents " + success + " as success; exactly one 2xx");
        }
        if (codes.stream().noneMatch(c -> c.startsWith("4"))) {
            failures.add(name + ": documents no 4xx (every route answers at least 401 to a bearer token that does not verify)");
        }
        if (!codes.contains("401")) {
            failures.add(name + ": no 401 (a bearer token that does not verify is refused on every route)");
        }
        if (operation.containsKey("requestBody") && !codes.contains("400")) {
            failures.add(name + ": takes a body but documents no 400");
        }
        if (path.replace("{tenant}", "").contains("{") && !codes.contains("404")) {
            failures.add(name + ": has an id in its path but documents no 404");
        }
        for (String code : codes) {
            if (!REAL_STATUSES.contains(code)) {
                failures.add(name + ": documents " + code + ", which nothing in the module answers");
            }
        }
        if ("post".equals(method)) {
            String expected = POSTS_THAT_DO_NOT_CREATE.getOrDefault(path, "201");
            if (!success.equals(Set.of(expected))) {
                failures.add(name + ": documents " + success + ", expected " + expected
                        + (expected.equals("201") ? " (a POST that creates answers 201)" : ""));
            }
            if (codes.contains("201") && !CREATED_WITHOUT_LOCATION.contains(path)
                    && !map(map(responses.get("201")).get("headers")).containsKey("Location")) {
                failures.add(name + ": 201 without a Location header");
            }
        } else if (!success.isEmpty() && Set.of("201", "202").containsAll(success)) {
            failures.add(name + ": only a POST creates or accepts");
        }
        for (String code : codes) {
            Map<String, Object> response = map(responses.get(code));
            Map<String, Object> content = map(response.get("content"));
            String description = String.valueOf(response.get("description"));
            if (description.isBlank() || description.endsWith(" response")) {
                failures.add(name + " " + code + ": no description of its own (\"" + description + "\")");
            }
            if (code.equals("204") || code.equals("202")) {
                if (!content.isEmpty()) {
                    failures.add(name + " " + code + ": documents a body");
                }
            } else if (content.isEmpty()) {
                failures.add(name + " " + code + ": documents no body");
            }
            if (code.startsWith("4") || code.startsWith("5")) {
                content.forEach((mediaType, media) -> {
                    Object ref = map(map(media).get("schema")).get("$ref");
                    boolean problem = mediaType.equals(Problem.CONTENT_TYPE) && "#/components/schemas/Problem".equals(ref);
                    boolean other = mediaType.equals("application/json") && ref != null && OTHER_ERROR_SCHEMAS.contains(ref);
                    if (!problem && !other) {
                        failures.add(name + " " + code + ": error body " + mediaType + " " + ref
                                + " (errors are application/problem+json Problem)");
                    }
                });
            }
        }
        return failures;
    }

    @Test
    void theCheck_refusesWhatTheOldDocumentSaid_aPostThatCreatesWithALone200() {
        Map<String, Object> lone200 = Map.of("requestBody", Map.of(), "responses",
                Map.of("200", Map.of("description", "create_1 200 response",
                        "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Booking"))))));
        assertThat(check("POST /t/{tenant}/bookings", "/t/{tenant}/bookings", "post", lone200)).containsExactlyInAnyOrder(
                "POST /t/{tenant}/bookings: documents no 4xx (every route answers at least 401 to a bearer token that does not verify)",
                "POST /t/{tenant}/bookings: no 401 (a bearer token that does not verify is refused on every route)",
                "POST /t/{tenant}/bookings: takes a body but documents no 400",
                "POST /t/{tenant}/bookings: documents [200], expected 201 (a POST that creates answers 201)",
                "POST /t/{tenant}/bookings 200: no description of its own (\"create_1 200 response\")");
        Map<String, Object> plainJsonError = Map.of("responses", Map.of(
                "200", Map.of("description", "the car", "content", Map.of("application/json", Map.of())),
                "401", Map.of("description", "no token", "content", Map.of("application/json", Map.of())),
                "404", Map.of("description", "unknown car", "content", Map.of(Problem.CONTENT_TYPE,
                        Map.of("schema", Map.of("$ref", "#/components/schemas/Problem"))))));
        assertThat(check("GET /t/{tenant}/cars/{carId}", "/t/{tenant}/cars/{carId}", "get", plainJsonError)).containsExactly(
                "GET /t/{tenant}/cars/{carId} 401: error body application/json null (errors are application/problem+json Problem)");
    }

    private static Map<String, Map<String, Object>> paths() throws IOException {
        Map<String, Object> document = new Yaml().load(generated());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        return paths;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    static String generated() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(GENERATED)) {
            if (in == null) {
                throw new AssertionError(GENERATED + " is not on the class path: micronaut-openapi did not run while compiling");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** docs/openapi.yml of the repository the tests run in (Maven runs them in cloud-api/). */
    static Path checkedIn() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/openapi.yml");
            if (Files.isRegularFile(dir.resolve("cloud-api/pom.xml")) && Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docs/openapi.yml not found above " + Path.of("").toAbsolutePath());
    }

    private static String firstDifference(String current, String generated) {
        String[] a = current.split("\n", -1);
        String[] b = generated.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(end of file)";
            String y = i < b.length ? b[i] : "(end of file)";
            if (!x.equals(y)) {
                return "first difference at line " + (i + 1) + ": docs/openapi.yml has '" + x.strip() + "', generated has '"
                        + y.strip() + "'";
            }
        }
        return "they differ in line endings";
    }
}
