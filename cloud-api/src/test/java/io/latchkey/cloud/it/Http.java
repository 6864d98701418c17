package io.latchkey.cloud.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A thin test client over Micronaut's HttpClient that returns every status instead of throwing on 4xx/5xx. */
public final class Http {
    private static final ObjectMapper MAPPER = Json.mapper();

    public record Reply(int status, String contentType, String body, String retryAfter) {
        public Reply(int status, String contentType, String body) {
            this(status, contentType, body, null);
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String text(String field) {
            return json().path(field).asText();
        }
    }

    private final BlockingHttpClient client;

    public Http(HttpClient client) {
        this.client = client.toBlocking();
    }

    public Reply get(String path, String token) {
        return send(authorised(HttpRequest.GET(path), token));
    }

    public Reply postJson(String path, String token, Object body) {
        String json = body instanceof String s ? s : write(body);
        return send(authorised(HttpRequest.POST(path, json).contentType(MediaType.APPLICATION_JSON_TYPE), token));
    }

    public Reply putJson(String path, String token, Object body) {
        String json = body instanceof String s ? s : write(body);
        return send(authorised(HttpRequest.PUT(path, json).contentType(MediaType.APPLICATION_JSON_TYPE), token));
    }

    public Reply patchJson(String path, String token, Object body) {
        String json = body instanceof String s ? s : write(body);
        return send(authorised(HttpRequest.PATCH(path, json).contentType(MediaType.APPLICATION_JSON_TYPE), token));
    }

    public Reply delete(String path, String token) {
        return send(authorised(HttpRequest.DELETE(path), token));
    }

    public Reply postForm(String path, Map<String, String> form) {
        return send(HttpRequest.POST(path, form).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE));
    }

    public Reply send(MutableHttpRequest<?> request) {
        try {
            HttpResponse<String> response = client.exchange(request, Argument.STRING, Argument.STRING);
            return reply(response, response.getBody().orElse(""));
        } catch (HttpClientResponseException e) {
            return reply(e.getResponse(), e.getResponse().getBody(String.class).orElse(""));
        }
    }

    private static Reply reply(HttpResponse<?> response, String body) {
        return new Reply(response.getStatus().getCode(), response.getContentType().map(MediaType::toString).orElse(""), body,
                response.getHeaders().get(io.micronaut.http.HttpHeaders.RETRY_AFTER));
    }

    private static MutableHttpRequest<?> authorised(MutableHttpRequest<?> request, String token) {
        return token == null ? request : request.bearerAuth(token);
    }

    private static String write(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
