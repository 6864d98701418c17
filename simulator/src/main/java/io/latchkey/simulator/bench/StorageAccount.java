package io.latchkey.simulator.bench;

import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An Azure storage account as the bench reaches it: from its connection string, the account's name and key and its
 * blob endpoint. Either one on an Azurite process the bench started (path-style: {@code http://host:port/account}) or
 * one from outside ({@code --store-accounts}: Azurite on another machine, path-style, or Azure Storage itself,
 * {@code https://account.blob.core.windows.net}). The connection string is what the replicas are given; the bench's
 * own reads (counting, the audit) sign their requests with the key (Shared Key).
 *
 * @param name             the account name
 * @param key              the account key, base64 as in the connection string
 * @param blobEndpoint     the blob service's URL without a trailing slash
 * @param connectionString as given, for the replicas
 */
record StorageAccount(String name, String key, String blobEndpoint, String connectionString) {

    /**
     * The account of a connection string: {@code AccountName}, {@code AccountKey}, and {@code BlobEndpoint} or else
     * {@code DefaultEndpointsProtocol} with {@code EndpointSuffix} (Azure's {@code https://name.blob.suffix}).
     *
     * @throws IllegalArgumentException naming what is missing or malformed (the key is never repeated)
     */
    static StorageAccount parse(String connectionString) {
        Map<String, String> parts = new LinkedHashMap<>();
        String[] split = connectionString.trim().split(";");
        for (int i = 0; i < split.length; i++) {
            String part = split[i];
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                // not repeated: it may be a key pasted on its own
                throw new IllegalArgumentException("a connection string is Key=Value pairs separated by ';', its part "
                        + (i + 1) + " is not");
            }
            parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        String name = parts.get("accountname");
        String key = parts.get("accountkey");
        if (name == null || name.isEmpty() || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a connection string needs AccountName and AccountKey (Shared Key)");
        }
        try {
            Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the AccountKey of account " + name + " is not base64");
        }
        String endpoint = parts.get("blobendpoint");
        if (endpoint == null) {
            String suffix = parts.getOrDefault("endpointsuffix", "core.windows.net");
            String protocol = parts.getOrDefault("defaultendpointsprotocol", "https");
            endpoint = protocol + "://" + name + ".blob." + suffix;
        }
        endpoint = endpoint.replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the BlobEndpoint of account " + name + " is not a URL: " + endpoint);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("the BlobEndpoint of account " + name + " is not an http(s) URL: " + endpoint);
        }
        return new StorageAccount(name, key, endpoint, connectionString.trim());
    }

    /**
     * The path the Shared Key signature names for a request to {@code path} (e.g. {@code /latchkey/blob}): the account,
     * then the URL's path, which on a path-style endpoint (Azurite) starts with the account's name again.
     */
    String canonicalResource(String path) {
        String endpointPath = URI.create(blobEndpoint).getRawPath();
        return "/" + name + (endpointPath == null ? "" : endpointPath) + path;
    }

    @Override
    public String toString() {
        return name + " at " + blobEndpoint; // never the key
    }
}
