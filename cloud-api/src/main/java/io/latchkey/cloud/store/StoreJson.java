package io.latchkey.cloud.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import java.io.IOException;

/** How stored documents and records are turned into bytes: the wire mapping (ISO-8601 times, no nulls). */
public final class StoreJson {
    private static final ObjectMapper MAPPER = Json.mapper();

    private StoreJson() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new StoreException("corrupt " + type.getSimpleName() + " in store", e);
        }
    }
}
