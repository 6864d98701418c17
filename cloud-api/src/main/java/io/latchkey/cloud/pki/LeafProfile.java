package io.latchkey.cloud.pki;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** What an end-entity certificate says: whom it names, for which key, for how long, for what use. */
record LeafProfile(X500Name subject, PublicKey publicKey, Duration validity, KeyPurposeId purpose, List<GeneralName> alternativeNames) {
    LeafProfile {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new PkiException("certificate validity must be positive, got " + validity);
        }
        alternativeNames = List.copyOf(alternativeNames);
    }
}
