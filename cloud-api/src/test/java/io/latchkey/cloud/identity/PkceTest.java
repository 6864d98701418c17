package io.latchkey.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {
    /** RFC 7636, Appendix B. */
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void s256_matchesTheRfcsExample() {
        assertThat(Pkce.challengeOf(VERIFIER)).isEqualTo(CHALLENGE);
        assertThat(Pkce.verifies(VERIFIER, CHALLENGE)).isTrue();
        assertThat(Pkce.isChallenge(CHALLENGE)).isTrue();
    }

    @Test
    void plain_tooShortOrOddVerifiers_doNotVerify() {
        assertThat(Pkce.verifies(CHALLENGE, CHALLENGE)).as("plain: the challenge as its own verifier").isFalse();
        assertThat(Pkce.verifies("short", Pkce.challengeOf("short"))).isFalse();
        String spaced = "a verifier with spaces that is long enough to pass 43";
        assertThat(Pkce.verifies(spaced, Pkce.challengeOf(spaced))).isFalse();
        assertThat(Pkce.verifies(null, CHALLENGE)).isFalse();
        assertThat(Pkce.isChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")).isFalse();
        assertThat(Pkce.isChallenge(CHALLENGE + "=")).isFalse();
    }
}
