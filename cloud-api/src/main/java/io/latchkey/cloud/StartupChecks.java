package io.latchkey.cloud;

import io.latchkey.cloud.command.CommandConfig;
import io.latchkey.cloud.identity.AdminConfig;
import io.latchkey.cloud.identity.TokenConfig;
import io.latchkey.cloud.mqtt.MqttConfig;
import io.micronaut.context.annotation.Context;

/**
 * Binds every configuration record at start-up, so that a bad value stops the program with a message
 * naming the key instead of failing at the first request that needs it.
 */
@Context
public class StartupChecks {
    public StartupChecks(LatchkeyConfig latchkey, MqttConfig mqtt, CommandConfig commands, TokenConfig tokens,
                         AdminConfig admin) {
        // binding is the check
    }
}
