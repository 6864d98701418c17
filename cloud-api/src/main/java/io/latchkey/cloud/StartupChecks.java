package io.latchkey.cloud;

import io.latchkey.cloud.command.CommandConfig;
import io.latchkey.cloud.identity.AdminConfig;
import io.latchkey.cloud.identity.TokenConfig;
import io.latchkey.cloud.mqtt.MqttConfig;
import io.latchkey.cloud.outbox.RetryConfig;
import io.latchkey.cloud.outbox.smtp.SmtpConfig;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.Map;

/**
 * Checks the configuration at start-up, before the broker or the server start, so that a bad value stops
 * the program with a message naming the key. A value that does not convert to its type (a port of
 * {@code abc}) would otherwise be silently replaced by the default; the records check ranges.
 */
@Context
public class StartupChecks implements ConfigurationCheck {
    private static final Map<String, Class<?>> TYPED_KEYS = Map.ofEntries(
            Map.entry("micronaut.server.port", Integer.class),
            Map.entry("latchkey.mqtt.port", Integer.class),
            Map.entry("latchkey.mqtt.embedded", Boolean.class),
            Map.entry("latchkey.mqtt.tls-port", Integer.class),
            Map.entry("latchkey.mqtt.allow-plain-loopback", Boolean.class),
            Map.entry("latchkey.commands.timeout", Duration.class),
            Map.entry("latchkey.tokens.access-ttl", Duration.class),
            Map.entry("latchkey.tokens.refresh-ttl", Duration.class),
            Map.entry("latchkey.mail.smtp.port", Integer.class),
            Map.entry("latchkey.mail.smtp.timeout", Duration.class),
            Map.entry("latchkey.mail.retry.initial", Duration.class),
            Map.entry("latchkey.mail.retry.max", Duration.class));

    public StartupChecks(Environment environment, LatchkeyConfig latchkey, MqttConfig mqtt, CommandConfig commands,
                         TokenConfig tokens, AdminConfig admin, SmtpConfig smtp, RetryConfig mailRetry) {
        TYPED_KEYS.forEach((key, type) -> {
            if (environment.containsProperty(key) && !converts(environment, key, type)) {
                throw new ConfigurationException(key + " must be " + describe(type) + ", got '"
                        + environment.getProperty(key, String.class).orElse("") + "'");
            }
        });
    }

    // Micronaut reads any word that is not "true"/"yes"/"on" as false; a typo must not switch a listener off.
    private static boolean converts(Environment environment, String key, Class<?> type) {
        if (type == Boolean.class) {
            return environment.getProperty(key, String.class)
                    .map(v -> v.strip().equalsIgnoreCase("true") || v.strip().equalsIgnoreCase("false"))
                    .orElse(false);
        }
        return environment.getProperty(key, type).isPresent();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class) {
            return "a whole number";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return "a duration such as 10s, 500ms or 15m";
    }
}
