package io.latchkey.cloud.outbox.smtp;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The SMTP relay the outbox mails through. Without {@code host} nothing is mailed (the embedded default).
 *
 * @param host        {@code latchkey.mail.smtp.host}: the relay; unset means no mail is sent
 * @param port        {@code latchkey.mail.smtp.port}: default 587 for {@code starttls}, 465 for {@code implicit},
 *                    25 for {@code none}
 * @param tls         {@code latchkey.mail.smtp.tls}: {@code starttls} (default; the relay must offer STARTTLS,
 *                    there is no fallback to plain), {@code implicit} (TLS from the first byte, SMTPS) or
 *                    {@code none} (plain, only for a loopback relay in tests and development). The relay's
 *                    certificate is checked against the JVM's trust store and must name {@code host}
 * @param username    {@code latchkey.mail.smtp.username}: for SMTP AUTH; unset means no sign-in
 * @param password    {@code latchkey.mail.smtp.password}: the password itself, e.g. from the environment
 *                    variable {@code LATCHKEY_MAIL_SMTP_PASSWORD}; never logged
 * @param passwordEnv {@code latchkey.mail.smtp.password-env}: or the name of an environment variable that
 *                    holds it, read at start
 * @param from        {@code latchkey.mail.smtp.from}: the sender address, e.g. {@code Latchkey <no-reply@example.com>};
 *                    its domain also ends every {@code Message-ID}
 * @param timeout     {@code latchkey.mail.smtp.timeout}: connect, read and write time-out (30s)
 */
@ConfigurationProperties("latchkey.mail.smtp")
public record SmtpConfig(@Nullable String host, @Nullable Integer port,
                         @Bindable(defaultValue = "starttls") String tls,
                         @Nullable String username, @Nullable String password, @Nullable String passwordEnv,
                         @Nullable String from,
                         @Bindable(defaultValue = "30s") Duration timeout) {
    public static final String STARTTLS = "starttls";
    public static final String IMPLICIT = "implicit";
    public static final String NONE = "none";

    public SmtpConfig {
        host = blankToNull(host);
        username = blankToNull(username);
        password = blankToNull(password);
        passwordEnv = blankToNull(passwordEnv);
        from = blankToNull(from);
        tls = tls == null ? STARTTLS : tls.strip().toLowerCase(Locale.ROOT);
        if (host == null) {
            if (from != null || username != null || password != null || passwordEnv != null) {
                throw new ConfigurationException("latchkey.mail.smtp.host must be set when other latchkey.mail.smtp.* "
                        + "keys are (from, username, password): without it no mail is sent");
            }
        } else {
            check(host, port, tls, username, password, passwordEnv, from, timeout);
        }
    }

    private static void check(String host, Integer port, String tls, String username, String password,
                              String passwordEnv, String from, Duration timeout) {
        if (!host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            throw new ConfigurationException("latchkey.mail.smtp.host must be a host name or address, got '" + host + "'");
        }
        if (!(STARTTLS.equals(tls) || IMPLICIT.equals(tls) || NONE.equals(tls))) {
            throw new ConfigurationException("latchkey.mail.smtp.tls must be starttls, implicit or none, got '" + tls + "'");
        }
        if (NONE.equals(tls) && !isLoopback(host)) {
            throw new ConfigurationException("latchkey.mail.smtp.tls=none (plain SMTP) is allowed only for a loopback relay "
                    + "(localhost, 127.0.0.1, ::1), got host '" + host + "'; use starttls or implicit");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new ConfigurationException("latchkey.mail.smtp.port must be 1..65535, got " + port);
        }
        if (password != null && passwordEnv != null) {
            throw new ConfigurationException("latchkey.mail.smtp.password and latchkey.mail.smtp.password-env are both set; set one");
        }
        if (username == null && (password != null || passwordEnv != null)) {
            throw new ConfigurationException("latchkey.mail.smtp.username must be set with a password");
        }
        if (username != null && password == null && passwordEnv == null) {
            throw new ConfigurationException("latchkey.mail.smtp.password or latchkey.mail.smtp.password-env must be set with a username");
        }
        if (from == null) {
            throw new ConfigurationException("latchkey.mail.smtp.from must be set to the sender address when latchkey.mail.smtp.host is");
        }
        try {
            new InternetAddress(from, true).validate();
        } catch (AddressException e) {
            throw new ConfigurationException("latchkey.mail.smtp.from must be an e-mail address such as "
                    + "'Latchkey <no-reply@example.com>', got '" + from + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigurationException("latchkey.mail.smtp.timeout must be more than 0 and at most 10m, got " + timeout);
        }
    }

    public boolean enabled() {
        return host != null;
    }

    public int effectivePort() {
        if (port != null) {
            return port;
        }
        return switch (tls) {
            case IMPLICIT -> 465;
            case NONE -> 25;
            default -> 587;
        };
    }

    /**
     * The password, from {@code password} or the variable {@code password-env} names.
     *
     * @throws ConfigurationException if that variable is not set
     */
    @Nullable
    public String resolvePassword(UnaryOperator<String> environment) {
        if (passwordEnv == null) {
            return password;
        }
        String value = environment.apply(passwordEnv);
        if (value == null || value.isEmpty()) {
            throw new ConfigurationException("latchkey.mail.smtp.password-env names the environment variable '"
                    + passwordEnv + "', which is not set");
        }
        return value;
    }

    /** The domain of {@code from}, for Message-IDs. */
    public String fromDomain() {
        try {
            String address = new InternetAddress(from, true).getAddress();
            return address.substring(address.lastIndexOf('@') + 1);
        } catch (AddressException e) {
            throw new IllegalStateException("checked at start", e);
        }
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") && h.matches("[0-9.]+") || h.equals("::1") || h.equals("[::1]");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Without the password: configuration objects end up in logs and error messages. */
    @Override
    public String toString() {
        return "SmtpConfig[host=" + host + ", port=" + effectivePort() + ", tls=" + tls + ", username=" + username
                + ", password=" + (password != null ? "(set)" : "(unset)") + ", passwordEnv=" + passwordEnv
                + ", from=" + from + ", timeout=" + timeout + "]";
    }
}
