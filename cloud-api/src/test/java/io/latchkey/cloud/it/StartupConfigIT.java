package io.latchkey.cloud.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration value stops the start with a message naming the key. */
class StartupConfigIT {
    @TempDir
    Path dataDir;

    @Test
    void accessTokenTtl_over15Minutes_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.tokens.access-ttl", "20m")))
                .hasStackTraceContaining("latchkey.tokens.access-ttl must be more than 0 and at most 15m");
    }

    @Test
    void aPortThatIsNotANumber_stopsTheStart_insteadOfFallingBackToTheDefault() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.port", "abc")))
                .hasStackTraceContaining("latchkey.mqtt.port must be a whole number, got 'abc'");
    }

    @Test
    void brokerTlsPortAndPlainListenerSwitch_thatDoNotConvert_stopTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.tls-port", "eighty")))
                .hasStackTraceContaining("latchkey.mqtt.tls-port must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.allow-plain-loopback", "sometimes")))
                .hasStackTraceContaining("latchkey.mqtt.allow-plain-loopback must be true or false, got 'sometimes'");
    }

    @Test
    void aTimeoutThatIsNotADuration_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "soon")))
                .hasStackTraceContaining("latchkey.commands.timeout must be a duration");
    }

    @Test
    void badEventSettings_stopTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.events.offline-after", "soon")))
                .hasStackTraceContaining("latchkey.events.offline-after must be a duration, got 'soon'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.events.offline-after", "30s")))
                .hasStackTraceContaining("latchkey.events.offline-after must be a duration between 1m and 7d");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.events.sweep-interval", "2h")))
                .hasStackTraceContaining("latchkey.events.sweep-interval must be a duration between 10s and 1h");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.events.alert-types", "TAMPER,low voltage")))
                .hasStackTraceContaining("latchkey.events.alert-types: 'low voltage' is not an event type");
    }

    @Test
    void aBadRentalSweepInterval_stopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.rentals.sweep-interval", "soon")))
                .hasStackTraceContaining("latchkey.rentals.sweep-interval must be a duration, got 'soon'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.rentals.sweep-interval", "2h")))
                .hasStackTraceContaining("latchkey.rentals.sweep-interval must be a duration between 1s and 1h");
    }

    @Test
    void aBadKeySetSweepInterval_stopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.keys.sweep-interval", "soon")))
                .hasStackTraceContaining("latchkey.keys.sweep-interval must be a duration, got 'soon'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.keys.sweep-interval", "500ms")))
                .hasStackTraceContaining("latchkey.keys.sweep-interval must be a duration between 1s and 1h");
    }

    @Test
    void badBrowserSignInSettings_stopTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.oauth.clients.spa.redirect-uris", "http://spa.example/cb")))
                .hasStackTraceContaining("latchkey.oauth.clients.spa.redirect-uris: 'http://spa.example/cb' must be an absolute https URI");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.oauth.clients.spa.redirect-uris", "https://spa.example/cb#x")))
                .hasStackTraceContaining("without a fragment");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.oauth.clients.latchkey-console.redirect-uris", "https://evil.example/cb")))
                .hasStackTraceContaining("latchkey.oauth.clients.latchkey-console: a client id is");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.web.session-idle", "soon")))
                .hasStackTraceContaining("latchkey.web.session-idle must be a duration, got 'soon'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.web.session-max", "30d")))
                .hasStackTraceContaining("latchkey.web.session-max must be between latchkey.web.session-idle and 7d");
    }

    @Test
    void externalBroker_withoutUrl_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.embedded", "false")))
                .hasStackTraceContaining("latchkey.mqtt.url must be");
    }

    @Test
    void shortAdminPassword_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.admin.password", "short")))
                .hasStackTraceContaining("latchkey.admin.password");
    }
    @Test
    void plainSmtp_toARelayThatIsNotLoopback_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.smtp.host", "smtp.example.com",
                "latchkey.mail.smtp.tls", "none", "latchkey.mail.smtp.from", "no-reply@example.com")))
                .hasStackTraceContaining("latchkey.mail.smtp.tls=none (plain SMTP) is allowed only for a loopback relay");
    }

    @Test
    void badMailSettings_stopTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.smtp.host", "smtp.example.com",
                "latchkey.mail.smtp.tls", "sometimes", "latchkey.mail.smtp.from", "no-reply@example.com")))
                .hasStackTraceContaining("latchkey.mail.smtp.tls must be starttls, implicit or none, got 'sometimes'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.smtp.host", "smtp.example.com")))
                .hasStackTraceContaining("latchkey.mail.smtp.from must be set");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.smtp.from", "no-reply@example.com")))
                .hasStackTraceContaining("latchkey.mail.smtp.host must be set");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.smtp.host", "smtp.example.com",
                "latchkey.mail.smtp.port", "smtp", "latchkey.mail.smtp.from", "no-reply@example.com")))
                .hasStackTraceContaining("latchkey.mail.smtp.port must be a whole number, got 'smtp'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.retry.max", "100ms")))
                .hasStackTraceContaining("latchkey.mail.retry.max must be at least latchkey.mail.retry.initial");
    }

    @Test
    void aMissingSmtpPasswordVariable_stopsTheStart_withoutShowingAnyPassword() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.smtp.host", "smtp.example.com",
                "latchkey.mail.smtp.from", "no-reply@example.com", "latchkey.mail.smtp.username", "relay",
                "latchkey.mail.smtp.password-env", "LATCHKEY_TEST_NO_SUCH_VARIABLE")))
                .hasStackTraceContaining("latchkey.mail.smtp.password-env names the environment variable "
                        + "'LATCHKEY_TEST_NO_SUCH_VARIABLE', which is not set");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mail.smtp.host", "smtp.example.com",
                "latchkey.mail.smtp.from", "no-reply@example.com", "latchkey.mail.smtp.password", "hunter2-relay-pw")))
                .hasStackTraceContaining("latchkey.mail.smtp.username must be set with a password")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(stackTrace(e)).doesNotContain("hunter2-relay-pw"));
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Test
    void anUnknownSecretStore_orAKeyVaultWithoutItsUrl_stopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.secrets.type", "vault")))
                .hasStackTraceContaining("latchkey.secrets.type must be file, store or keyvault, got 'vault'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.secrets.type", "keyvault")))
                .hasStackTraceContaining("latchkey.secrets.keyvault.url is required when latchkey.secrets.type is keyvault");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.secrets.type", "keyvault",
                "latchkey.secrets.keyvault.url", "http://plain.vault.azure.net")))
                .hasStackTraceContaining("latchkey.secrets.keyvault.url must be a vault's https URL");
    }
}
