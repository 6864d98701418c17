package io.latchkey.cloud.account.reset;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.account.PersonalData;
import io.latchkey.cloud.identity.UserAccount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Compares a reset answer with the PII the account holds, after the same normalisation as when it was stored. */
final class Challenges {
    private Challenges() {
    }

    static boolean matches(UserAccount user, String field, String answer, Clock clock) {
        String expected = switch (field) {
            case "phone" -> user.phone();
            case "driverLicence" -> user.driverLicence();
            case "dateOfBirth" -> user.dateOfBirth() == null ? null : user.dateOfBirth().toString();
            default -> null;
        };
        if (expected == null || answer == null) {
            return false;
        }
        String given;
        try {
            given = switch (field) {
                case "phone" -> PersonalData.phone(answer);
                case "driverLicence" -> PersonalData.driverLicence(answer);
                default -> PersonalData.dateOfBirth(answer, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)).toString();
            };
        } catch (InvalidRequestException malformed) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
