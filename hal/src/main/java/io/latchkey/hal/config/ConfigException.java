package io.latchkey.hal.config;

import io.latchkey.hal.HalException;

/** A configuration that cannot run: the message names the key and what was expected. */
public class ConfigException extends HalException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
