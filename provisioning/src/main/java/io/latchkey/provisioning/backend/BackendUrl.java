package io.latchkey.provisioning.backend;

import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import java.util.Set;
import okhttp3.HttpUrl;

/** The backend's base URL: HTTPS, or plain HTTP to this machine only (the policy requires TLS on every network hop). */
public final class BackendUrl {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private BackendUrl() {
    }

    public static HttpUrl parse(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new ProvisioningException("'" + url + "' is not an http(s) URL", "give the backend as --url https://host[:port]", ExitCodes.USAGE);
        }
        if (!parsed.isHttps() && !LOOPBACK.contains(parsed.host())) {
            throw new ProvisioningException("refusing plain HTTP to " + parsed.host() + ": credentials and keys would cross the network unencrypted",
                    "use the backend's https:// URL (plain http is only allowed to localhost)", ExitCodes.USAGE);
        }
        return parsed;
    }
}
