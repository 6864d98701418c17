package io.latchkey.cloud.pki;

import java.util.Objects;

/**
 * The backend's own identity towards the broker: a client certificate from the platform CA naming
 * the service ({@code urn:latchkey:service:{name}}). The broker gives it the backend role.
 */
public record ServiceIdentity(String name, TlsIdentity tls) {
    public ServiceIdentity {
        LatchkeyUrns.requireServiceName(name);
        Objects.requireNonNull(tls, "tls");
    }
}
