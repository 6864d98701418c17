package io.latchkey.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The one JSON mapping used on the wire. Unknown fields are ignored so that an older agent can read
 * a newer cloud's messages; times are ISO-8601 strings.
 *
 * <p>Two implementations give the same bytes and read the same documents: Jackson databind (the default: the cloud,
 * the simulator) and {@link StreamingJson}, jackson-core's streaming API alone, which the agent chooses with
 * {@code -Dlatchkey.json=streaming} ({@link #STREAMING_PROPERTY}; {@code AgentMain} sets it) so that databind's ~500
 * classes never load on a car. Types that {@link StreamingJson#supports} does not cover go to databind either way.
 */
public final class Json {
    /** {@code streaming}: write and read through {@link StreamingJson}; anything else: databind. Read once. */
    public static final String STREAMING_PROPERTY = "latchkey.json";
    private static final boolean STREAMING = "streaming".equals(System.getProperty(STREAMING_PROPERTY));

    /** Databind's mapper, made on first use only, so that a streaming process never loads it. */
    private static final class Databind {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                // after JavaTimeModule, so that it reads Instants first (FastInstants: same results, without DateTimeFormatter)
                .registerModule(new SimpleModule("latchkey-instants").addDeserializer(java.time.Instant.class, new FastInstants()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    private Json() {
    }

    /** A copy of the wire mapping, for callers that want to configure their own. */
    public static ObjectMapper mapper() {
        return Databind.MAPPER.copy();
    }

    /** Whether this process writes and reads through {@link StreamingJson}. */
    public static boolean streaming() {
        return STREAMING;
    }

    public static byte[] write(Object value) {
        return write(value, STREAMING);
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        return read(bytes, type, STREAMING);
    }

    /** {@link #write(Object)} through the implementation named, whatever this process chose: to compare the two. */
    public static byte[] write(Object value, boolean streaming) {
        try {
            if (streaming && StreamingJson.supports(value.getClass())) {
                return StreamingJson.write(value);
            }
            return Databind.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new ProtocolException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@link #read(byte[], Class)} through the implementation named, whatever this process chose: to compare the two. */
    public static <T> T read(byte[] bytes, Class<T> type, boolean streaming) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedMessageException("empty " + type.getSimpleName());
        }
        try {
            T value = streaming && StreamingJson.supports(type)
                    ? StreamingJson.read(bytes, type)
                    : Databind.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new MalformedMessageException("null " + type.getSimpleName());
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
            // DateTimeException: databind lets an epoch-seconds time beyond Instant's range through unwrapped
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text of a top-level string field of a JSON object, or null if the document is not an object, lacks it or
     * it is not a string (as databind's {@code readTree(bytes).get(field)} read as text). Malformed JSON throws.
     */
    public static String peekText(byte[] bytes, String field) {
        try {
            return StreamingJson.peekText(bytes, field);
        } catch (IOException e) {
            throw new MalformedMessageException("not valid JSON: " + e.getMessage(), e);
        }
    }
}
