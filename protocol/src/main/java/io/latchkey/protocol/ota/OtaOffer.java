package io.latchkey.protocol.ota;

import io.latchkey.protocol.Ids;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.key.TenantSigned;

/**
 * Cloud to car on {@code lk/{t}/{d}/ota}: install this release (docs/ota.md §3). The car checks {@link #manifest} before it
 * downloads anything (a foreign, unsigned or downgrading release costs no bytes), then the bundle against
 * {@link #size}, {@link #sha256} and the same manifest.
 *
 * @param rolloutId the rollout the car reports its statuses under
 * @param version   the release's version (as in the manifest)
 * @param url       where the bundle is (https, or http on a test bench); fetched with HTTP Range to resume
 * @param size      the bundle's size in bytes
 * @param sha256    lower-case hex SHA-256 of the bundle file
 * @param manifest  the bundle's signed manifest, as in its {@code manifest} entry
 */
public record OtaOffer(String rolloutId, String version, String url, long size, String sha256, TenantSigned manifest) {
    public OtaOffer checked() {
        if (!Ids.isValid(rolloutId) || !Versions.isValid(version) || url == null
                || !(url.startsWith("https://") || url.startsWith("http://")) || size <= 0
                || sha256 == null || !sha256.matches("[0-9a-f]{64}") || manifest == null) {
            throw new MalformedMessageException("an offer needs rolloutId, version, an http(s) url, size > 0, a hex sha256 and the manifest");
        }
        return this;
    }
}
