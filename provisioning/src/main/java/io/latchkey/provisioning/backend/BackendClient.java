package io.latchkey.provisioning.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The backend calls the installer tool makes. Every failure becomes a {@link BackendRefusedException}
 * (the backend said no; its RFC 9457 {@code detail} or RFC 6749 {@code error_description} is quoted)
 * or a {@link BackendUnreachableException}, each with the next step for the installer.
 */
public final class BackendClient {
    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpUrl base;
    private final OkHttpClient http;
    private final ObjectMapper mapper = Json.mapper();

    public BackendClient(HttpUrl base) {
        this(base, new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build());
    }

    public BackendClient(HttpUrl base, OkHttpClient http) {
        this.base = base;
        this.http = http;
    }

    public HttpUrl base() {
        return base;
    }

    /** {@code POST /t/{tenant}/oauth/token}, resource-owner password grant. */
    public TokenResponse signIn(String tenant, String username, String password) {
        Request request = new Request.Builder().url(url("t", tenant, "oauth", "token"))
                .post(new FormBody.Builder().add("grant_type", "password").add("username", username).add("password", password).build())
                .build();
        return call(request, TokenResponse.class, new Situation("sign in to tenant " + tenant, tenant, null));
    }

    /** {@code POST /t/{tenant}/devices/{deviceId}/certificate} with {@code {"carId","csr"}}. */
    public CertificateResponse requestCertificate(String token, String tenant, String deviceId, String carId, String csrPem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("carId", carId);
        body.put("csr", csrPem);
        Request request = authorized(token, url("t", tenant, "devices", deviceId, "certificate")).post(json(body)).build();
        return call(request, CertificateResponse.class, new Situation("get a certificate for device " + deviceId, tenant, deviceId));
    }

    /** {@code POST /t/{tenant}/devices/{deviceId}/decommission} with {@code {"reason"}}. */
    public JsonNode decommission(String token, String tenant, String deviceId, String reason) {
        Request request = authorized(token, url("t", tenant, "devices", deviceId, "decommission"))
                .post(json(Map.of("reason", reason))).build();
        return call(request, JsonNode.class, new Situation("decommission device " + deviceId, tenant, deviceId));
    }

    /** {@code POST /t/{tenant}/devices/{deviceId}/install-report} with a signed report. */
    public JsonNode uploadInstallReport(String token, String tenant, String deviceId, Object signedReport) {
        Request request = authorized(token, url("t", tenant, "devices", deviceId, "install-report")).post(json(signedReport)).build();
        return call(request, JsonNode.class, new Situation("upload the install report of " + deviceId, tenant, deviceId));
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder builder = base.newBuilder();
        for (String segment : segments) {
            builder.addPathSegment(segment);
        }
        return builder.build();
    }

    private static Request.Builder authorized(String token, HttpUrl url) {
        return new Request.Builder().url(url).header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private RequestBody json(Object body) {
        return RequestBody.create(Json.write(body), JSON);
    }

    private <T> T call(Request request, Class<T> type, Situation situation) {
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            byte[] bytes = body == null ? new byte[0] : body.bytes();
            if (!response.isSuccessful()) {
                throw situation.refused(response.code(), reason(bytes, response.message()));
            }
            try {
                return mapper.readValue(bytes, type);
            } catch (IOException e) {
                throw new BackendUnreachableException("the backend at " + base + " answered " + response.code()
                        + " with something that is not the Latchkey API", "check --url: it must be the Latchkey backend's base URL", e);
            }
        } catch (IOException e) {
            throw new BackendUnreachableException("cannot reach the backend at " + base + " to " + situation.action() + ": " + e.getMessage(),
                    "check the network and the URL, then run the same command again (nothing was changed)", e);
        }
    }

    /** The human part of an error body: RFC 9457 {@code detail}/{@code title}, or RFC 6749 {@code error_description}/{@code error}. */
    private String reason(byte[] bytes, String fallback) {
        try {
            JsonNode node = mapper.readTree(bytes);
            for (String field : new String[] {"detail", "error_description", "title", "error"}) {
                if (node != null && node.hasNonNull(field)) {
                    return node.get(field).asText();
                }
            }
        } catch (IOException e) {
            // Not JSON: fall back to the status line, never to the raw body (it may be an HTML error page).
        }
        return fallback == null || fallback.isBlank() ? "no reason given" : fallback;
    }

    /** What was being attempted, to phrase the failure and the next step. */
    private record Situation(String action, String tenant, String deviceId) {
        BackendRefusedException refused(int status, String reason) {
            String message = "the backend refused to " + action + " (" + status + "): " + reason;
            String next = switch (status) {
                case 400 -> "fix what the message names and run the command again";
                case 401 -> deviceId == null
                        ? "check tenant, e-mail and password (after 5 failed attempts the account is locked for 5 minutes)"
                        : "your sign-in is no longer accepted (expired, revoked, or of another tenant): run './latchkey provision login --tenant "
                        + tenant + "' again";
                case 403 -> "your account may not do this for tenant " + tenant + ": ask the tenant admin for the installer role";
                case 404 -> deviceId == null
                        ? "check the tenant id '" + tenant + "' and --url"
                        : "check the ids: the car must be registered in tenant " + tenant + " with device id " + deviceId + " by an operator";
                case 409 -> "device " + deviceId + " already has an identity: decommission it first ('./latchkey provision decommission --device "
                        + deviceId + "') or use the device id printed on the new unit";
                case 423 -> "the account is locked: wait 5 minutes, or ask an operator to unlock it";
                default -> status >= 500
                        ? "the backend failed; try again in a few minutes, and report it to the operator if it persists (nothing was written)"
                        : "report this to the operator with the message above";
            };
            return new BackendRefusedException(status, message, next);
        }
    }
}
