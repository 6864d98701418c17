package io.latchkey.cloud.pki;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A device certificate and the chain that verifies it (the tenant's device CA), as the provisioning
 * endpoint returns them.
 */
public record IssuedDeviceCertificate(DeviceIdentity identity, X509Certificate certificate, List<X509Certificate> caChain) {
    public IssuedDeviceCertificate {
        caChain = List.copyOf(caChain);
    }

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    public List<String> caChainPem() {
        return caChain.stream().map(Pem::encode).toList();
    }
}
