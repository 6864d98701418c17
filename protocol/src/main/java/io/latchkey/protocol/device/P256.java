package io.latchkey.protocol.device;

import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.WNafUtil;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;
import org.bouncycastle.util.encoders.Hex;

/**
 * EC P-256 (secp256r1) on Bouncy Castle's optimised curve: what {@code CustomNamedCurves.getByName("secp256r1")} gives
 * (the same curve class, generator, order, cofactor and the generator's precomputation), built directly. Looking the
 * curve up by name initialises {@code CustomNamedCurves}, which loads a holder class for every curve it knows and their
 * curve classes, ~70 classes the agent never uses, resident on a Pi for its whole life (issue 17,
 * docs/benchmarks-agent.md "Fewer classes"). {@code P256Test} checks it against the lookup.
 */
public final class P256 {
    /** The generator, uncompressed (SEC 2, 2.4.2; as in Bouncy Castle's table). */
    private static final String G = "04"
            + "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
            + "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5";

    public static final ECDomainParameters DOMAIN = domain();

    private P256() {
    }

    private static ECDomainParameters domain() {
        SecP256R1Curve curve = new SecP256R1Curve();
        ECPoint g = curve.decodePoint(Hex.decodeStrict(G));
        WNafUtil.configureBasepoint(g);
        return new ECDomainParameters(curve, g, curve.getOrder(), curve.getCofactor());
    }
}
