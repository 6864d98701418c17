package io.latchkey.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserTextTest {
    /** NUL, ESC (ANSI), DEL, zero-width space/joiners, BOM, soft hyphen, bidi override/isolate/marks, separators, tags, fillers. */
    static final List<String> INVISIBLE = List.of("\u0000", "\u001b[31m", "\u007f", "\u0085", "\u200b", "\u200c", "\u200d",
            "\ufeff", "\u00ad", "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029",
            "\udb40\udc41", "\u3164", "\u2800", "\u034f", "\ufe0f", "\u180e", "\ud800", "\ue000");

    @Test
    void emails_areNfkcAndLowerCase_soThatSpellingsOfOneAddressAreOne() {
        assertThat(UserText.email("  Victim@X.Example ")).isEqualTo("victim@x.example");
        assertThat(UserText.email("\uff56ictim@x.example")).as("full-width v").isEqualTo("victim@x.example");
        assertThat(UserText.emailForLookup("VICTIM@x.example")).contains("victim@x.example");
    }

    @Test
    void emails_withAnInvisibleOrControlCharacter_areRefused_andFindNobody() {
        for (String bad : INVISIBLE) {
            for (String email : List.of("victim@x.example" + bad, "vic" + bad + "tim@x.example", bad + "victim@x.example")) {
                assertThatThrownBy(() -> UserText.email(email)).as(escape(email)).isInstanceOf(InvalidRequestException.class);
                assertThat(UserText.emailForLookup(email)).as(escape(email)).isEmpty();
            }
        }
        for (String spaced : List.of("vic tim@x.example", "vic\u00a0tim@x.example", "vic\u3000tim@x.example")) {
            assertThatThrownBy(() -> UserText.email(spaced)).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void names_areNfc_andRefuseInvisibleAndControlCharacters() {
        assertThat(UserText.name(" Ame\u0301lie Zoe\u0308 ")).isEqualTo("Am\u00e9lie Zo\u00eb");
        assertThat(UserText.name("Bea B.")).isEqualTo("Bea B.");
        assertThat(UserText.name("李小龍")).isEqualTo("李小龍");
        for (String bad : INVISIBLE) {
            assertThatThrownBy(() -> UserText.name("Bea" + bad + " B.")).as(escape(bad)).isInstanceOf(InvalidRequestException.class);
        }
        for (String bad : List.of("Bea\tB.", "Bea\nB.", "Bea\u00a0B.", "", "   ", "x".repeat(201))) {
            assertThatThrownBy(() -> UserText.name(bad)).as(escape(bad)).isInstanceOf(InvalidRequestException.class);
        }
        assertThat(UserText.name("x".repeat(200))).hasSize(200);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }
}
