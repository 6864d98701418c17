package io.latchkey.cloud.ota;

import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.secrets.SecretStore;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may download a bundle (docs/ota.md §8, "Download"): devices hold no token of the API, so the offer's URL carries
 * a ticket, {@code HMAC-SHA256(tenant/release/device/expiry)} keyed with a random 256-bit key in the tenant's secret scope
 * ({@value #SECRET_NAME}). A ticket opens one release for one device until it expires; nothing in it can be changed
 * without the key, and no ticket of one tenant opens another's bundle.
 */
@Singleton
public class DownloadTickets {
    static final String SECRET_NAME = "ota-download-key";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretStore secrets;
    private final SecureRandom random;
    private final PublicUrl publicUrl;
    private final OtaConfig config;
    private final Clock clock;

    public DownloadTickets(SecretStore secrets, SecureRandom random, PublicUrl publicUrl, OtaConfig config, Clock clock) {
        this.secrets = secrets;
        this.random = random;
        this.publicUrl = publicUrl;
        this.config = config;
        this.clock = clock;
    }

    /** The URL a device downloads the release from, good for {@code latchkey.ota.download-validity}. */
    public String url(String tenant, String releaseId, String deviceId) {
        long expires = clock.instant().plus(config.downloadValidity()).getEpochSecond();
        return publicUrl.tenantIssuer(tenant) + "/releases/" + releaseId + "/bundle?device=" + deviceId + "&expires=" + expires
                + "&ticket=" + sign(tenant, releaseId, deviceId, expires);
    }

    /** Why the ticket does not open the release for the device now; empty when it does. */
    Optional<String> refusal(String tenant, String releaseId, String deviceId, String expires, String ticket) {
        if (deviceId == null || expires == null || ticket == null || !expires.matches("[0-9]{1,12}")) {
            return Optional.of("device, expires and ticket are required");
        }
        long exp = Long.parseLong(expires);
        Optional<String> key = secrets.get(tenant, SECRET_NAME);
        if (key.isEmpty() || !MessageDigest.isEqual(mac(key.get(), payload(tenant, releaseId, deviceId, exp)),
                decode(ticket))) {
            return Optional.of("the ticket does not open this release for this device");
        }
        if (!clock.instant().isBefore(Instant.ofEpochSecond(exp))) {
            return Optional.of("the ticket expired");
        }
        return Optional.empty();
    }

    private String sign(String tenant, String releaseId, String deviceId, long expires) {
        String key = secrets.getOrCreate(tenant, SECRET_NAME, () -> {
            byte[] k = new byte[32];
            random.nextBytes(k);
            return Base64.getEncoder().encodeToString(k);
        });
        return B64.encodeToString(mac(key, payload(tenant, releaseId, deviceId, expires)));
    }

    private static String payload(String tenant, String releaseId, String deviceId, long expires) {
        return "latchkey/ota-download/v1\n" + tenant + "\n" + releaseId + "\n" + deviceId + "\n" + expires;
    }

    private static byte[] decode(String ticket) {
        try {
            return Base64.getUrlDecoder().decode(ticket);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] mac(String key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
