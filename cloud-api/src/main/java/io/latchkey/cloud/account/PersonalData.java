package io.latchkey.cloud.account;

import io.latchkey.cloud.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the optional PII fields are checked and normalised, once for storing and again for comparing reset
 * answers, so that {@code +49 30 1234-567} and {@code +49301234567} are the same phone number and
 * {@code b 072 rt} the same licence as {@code B072RT}.
 */
public final class PersonalData {
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{5,30}");
    private static final Pattern LICENCE = Pattern.compile("[A-Za-z0-9 -]{1,40}");
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private PersonalData() {
    }

    /** @return digits with an optional leading {@code +}, 5 to 20 digits */
    public static String phone(String raw) {
        if (raw == null || !PHONE.matcher(raw.strip()).matches()) {
            throw new InvalidRequestException("phone must be a phone number such as +49 30 1234567");
        }
        String trimmed = raw.strip();
        String digits = trimmed.replaceAll("[^0-9]", "");
        if (digits.length() < 5 || digits.length() > 20) {
            throw new InvalidRequestException("phone must have 5 to 20 digits");
        }
        return (trimmed.startsWith("+") ? "+" : "") + digits;
    }

    /** @return upper case letters and digits only */
    public static String driverLicence(String raw) {
        if (raw == null || !LICENCE.matcher(raw.strip()).matches()) {
            throw new InvalidRequestException("driverLicence must be 1 to 40 letters, digits, spaces or dashes");
        }
        String normal = raw.replaceAll("[ -]", "").toUpperCase(Locale.ROOT);
        if (normal.isEmpty()) {
            throw new InvalidRequestException("driverLicence must contain letters or digits");
        }
        return normal;
    }

    /** @param today from the injected clock */
    public static LocalDate dateOfBirth(String raw, LocalDate today) {
        LocalDate date;
        try {
            date = LocalDate.parse(raw == null ? "" : raw.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("dateOfBirth must be a date such as 1990-04-30");
        }
        if (date.isBefore(EARLIEST_BIRTH) || !date.isBefore(today)) {
            throw new InvalidRequestException("dateOfBirth must lie between 1900-01-01 and yesterday");
        }
        return date;
    }

    /** Constant-time comparison of two normalised values. */
    static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
