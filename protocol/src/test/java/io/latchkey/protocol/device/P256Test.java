package io.latchkey.protocol.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.WNafPreCompInfo;
import org.bouncycastle.math.ec.WNafUtil;
import org.junit.jupiter.api.Test;

/** {@link P256#DOMAIN}, built directly, is the curve {@code CustomNamedCurves.getByName("secp256r1")} gives. */
class P256Test {

    @Test
    void isBouncyCastlesSecp256r1() {
        X9ECParameters named = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters ours = P256.DOMAIN;
        assertThat(ours.getCurve().getClass()).isEqualTo(named.getCurve().getClass());
        assertThat(ours.getCurve().equals(named.getCurve())).isTrue();
        assertThat(ours.getG().getEncoded(false)).isEqualTo(named.getG().getEncoded(false));
        assertThat(ours.getN()).isEqualTo(named.getN());
        assertThat(ours.getH()).isEqualTo(named.getH());
        // FIPS 186-4 D.1.2.3: the order of P-256's base point
        assertThat(ours.getN()).isEqualTo(new BigInteger("115792089210356248762697446949407573529996955224135760342422259061068512044369"));
        assertThat(ours.getG().isValid()).isTrue();
        assertThat(ours.getG().multiply(ours.getN()).isInfinity()).isTrue();
        // the generator carries the same precomputation width the named lookup configures
        WNafPreCompInfo theirs = (WNafPreCompInfo) named.getG().getCurve().getPreCompInfo(named.getG(), WNafUtil.PRECOMP_NAME);
        WNafPreCompInfo mine = (WNafPreCompInfo) ours.getG().getCurve().getPreCompInfo(ours.getG(), WNafUtil.PRECOMP_NAME);
        assertThat(mine).isNotNull();
        assertThat(mine.getConfWidth()).isEqualTo(theirs.getConfWidth());
    }
}
