package io.latchkey.cloud.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client for tests over plain {@code java.net.http}: reads the response line by line on its own
 * thread and parses each event ({@code id}, {@code event}, {@code data}; comments are counted).
 */
public final class SseStream implements AutoCloseable {
    /** One event as received; {@code name} is {@code message} when the server named none. */
    public record Received(String id, String name, String data, long receivedAtNanos) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }

        public String carId() {
            return json().path("carId").asText();
        }
    }

    private final int status;
    private final String body;
    private final InputStream in;
    private final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private volatile boolean ended;

    private SseStream(HttpResponse<InputStream> response) throws IOException {
        this.status = response.statusCode();
        this.in = response.body();
        if (status != 200) {
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.ended = true;
            return;
        }
        this.body = null;
        Thread reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code path} with the bearer token and, when not null, a {@code Last-Event-ID}. */
    public static SseStream open(CloudApp app, String path, String token, String lastEventId) throws Exception {
        return open(app, path, java.util.Map.of("Authorization", "Bearer " + token), lastEventId);
    }

    /** Opens {@code path} with the given headers (e.g. a browser session's {@code Cookie}). */
    public static SseStream open(CloudApp app, String path, java.util.Map<String, String> headers, String lastEventId) throws Exception {
        return open(app.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class).getURL().toString(), path, headers,
                lastEventId);
    }

    /** Opens {@code path} on the server at {@code baseUrl} (a replica process, a load balancer) with the given headers. */
    public static SseStream open(String baseUrl, String path, java.util.Map<String, String> headers, String lastEventId)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        return new SseStream(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public int status() {
        return status;
    }

    /** The body of a refusal (Problem JSON). */
    public String body() {
        return body;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null || name != null) {
                        Received r = new Received(id, name == null ? "message" : name, data == null ? "" : data.toString(),
                                System.nanoTime());
                        all.add(r);
                        events.add(r);
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    /** The next event that matches, skipping others; fails after {@code timeout}. */
    public Received next(Predicate<Received> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no matching event within " + timeout + "; received " + all + ", ended " + ended);
            }
            if (matching.test(r)) {
                return r;
            }
        }
    }

    /** The next event with data (not a comment); fails after {@code timeout}. */
    public Received next(Duration timeout) throws InterruptedException {
        return next(r -> true, timeout);
    }

    /** Events received and not yet taken by {@link #next}. */
    public List<Received> drain() {
        List<Received> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** Every event received so far, in order. */
    public List<Received> received() {
        return List.copyOf(all);
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** Whether the server ended the response (or the connection closed). */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
