package io.latchkey.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link Json}'s wire mapping through jackson-core's streaming API alone ({@link JsonGenerator}, {@link JsonParser}),
 * without databind: about 90 classes instead of about 600, which is what the agent's memory on a Pi is made of.
 *
 * <p>It covers what the wire and the agent's files are made of: records (their components in declaration order,
 * null components left out) of strings, {@code int}/{@code long}/{@code double}/{@code boolean} and their boxes,
 * enums (by name), {@link Instant} (ISO-8601), {@link List}, {@link Set}, {@link Map} with string keys (null
 * values left out) and records. {@link #supports} says whether a type is made only of those; {@link Json} sends
 * anything else to databind. Writing gives databind's bytes; reading accepts what databind accepts with
 * {@link Json}'s settings (unknown fields ignored, null or missing primitives refused, databind's default
 * coercions of scalars, trailing content ignored) and refuses what it refuses. {@code StreamingJsonTest} holds both
 * equal for every wire and state type.
 */
public final class StreamingJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]*");

    /** A record's components: names, declared types, accessors and canonical constructor. */
    private record Shape(String[] names, Type[] types, Method[] accessors, Constructor<?> constructor) {
        int index(String name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            String[] names = new String[rc.length];
            Type[] types = new Type[rc.length];
            Method[] accessors = new Method[rc.length];
            Class<?>[] raw = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                names[i] = rc[i].getName();
                types[i] = rc[i].getGenericType();
                accessors[i] = rc[i].getAccessor();
                accessors[i].setAccessible(true);
                raw[i] = rc[i].getType();
            }
            try {
                Constructor<?> c = type.getDeclaredConstructor(raw);
                c.setAccessible(true);
                return new Shape(names, types, accessors, c);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    private static final ClassValue<Boolean> SUPPORTED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return supported(type, new HashSet<>());
        }
    };

    private StreamingJson() {
    }

    /** Whether values of this class are made only of what this codec writes and reads as databind does. */
    public static boolean supports(Class<?> type) {
        return SUPPORTED.get(type);
    }

    public static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeValue(g, value);
        }
        return out.toByteArray();
    }

    /** The value of {@code type} in {@code bytes}; null if the document is {@code null}. */
    public static <T> T read(byte[] bytes, Class<T> type) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() == null) {
                throw new JsonParseException(p, "no content");
            }
            return type.cast(readValue(p, type));
        }
    }

    /**
     * The text of a top-level string field of a JSON object (the last one if repeated), or null if the document is
     * not an object, has no such field or the field is not a string. Malformed JSON throws.
     */
    public static String peekText(byte[] bytes, String field) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return null;
            }
            String found = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(field)) {
                    found = t == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return found;
        }
    }

    // --- writing ---

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof Instant t) {
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey() == null) {
                    throw new JsonParseException(null, "a null key in a map");
                }
                if (e.getValue() != null) {
                    g.writeFieldName(e.getKey().toString());
                    writeValue(g, e.getValue());
                }
            }
            g.writeEndObject();
        } else if (v instanceof Record r) {
            Shape shape = SHAPES.get(r.getClass());
            g.writeStartObject();
            for (int i = 0; i < shape.names.length; i++) {
                Object c = invoke(shape.accessors[i], r);
                if (c != null) {
                    g.writeFieldName(shape.names[i]);
                    writeValue(g, c);
                }
            }
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("not a wire type: " + v.getClass().getName());
        }
    }

    private static Object invoke(Method accessor, Object target) throws IOException {
        try {
            return accessor.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IOException("cannot read " + accessor.getName(), e);
        }
    }

    // --- reading: databind's rules for Json's settings, type by type ---

    private interface NumberToken {
        Object read(JsonParser p) throws IOException;
    }

    /** A number as databind reads it with Json's settings: a JSON number, or a string holding one (empty: null). */
    private static Object number(JsonParser p, JsonToken t, Class<?> raw, NumberToken fromToken,
                                 java.util.function.Function<String, Object> fromText, String name) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return fromToken.read(p);
        }
        if (t != JsonToken.VALUE_STRING) {
            throw mismatch(p, raw);
        }
        String s = p.getText().trim();
        if (s.isEmpty() || s.equals("null")) {
            return nullFor(p, raw);
        }
        try {
            return fromText.apply(s);
        } catch (NumberFormatException e) {
            throw new JsonParseException(p, "not a valid " + name + ": \"" + s + "\"");
        }
    }

    private static Object readValue(JsonParser p, Type type) throws IOException {
        Class<?> raw = raw(type);
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return nullFor(p, raw);
        }
        if (raw == String.class) {
            return switch (t) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                default -> throw mismatch(p, raw);
            };
        }
        if (raw == int.class || raw == Integer.class) {
            return number(p, t, raw, JsonParser::getIntValue, Integer::parseInt, raw.getSimpleName());
        }
        if (raw == long.class || raw == Long.class) {
            return number(p, t, raw, JsonParser::getLongValue, Long::parseLong, raw.getSimpleName());
        }
        if (raw == double.class || raw == Double.class) {
            return number(p, t, raw, JsonParser::getDoubleValue, Double::parseDouble, "double");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            switch (t) {
                case VALUE_TRUE:
                    return true;
                case VALUE_FALSE:
                    return false;
                case VALUE_NUMBER_INT:
                    return p.getBigIntegerValue().signum() != 0;
                case VALUE_STRING:
                    String s = p.getText().trim();
                    if (s.isEmpty() || s.equals("null")) {
                        return nullFor(p, raw);
                    }
                    if (s.equals("true") || s.equals("True") || s.equals("TRUE")) {
                        return true;
                    }
                    if (s.equals("false") || s.equals("False") || s.equals("FALSE")) {
                        return false;
                    }
                    throw new JsonParseException(p, "not a valid boolean: \"" + s + "\"");
                default:
                    throw mismatch(p, raw);
            }
        }
        if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return byIndex(p, constants, p.getIntValue());
            }
            if (t != JsonToken.VALUE_STRING) {
                throw mismatch(p, raw);
            }
            String s = p.getText();
            for (Object c : constants) {
                if (((Enum<?>) c).name().equals(s)) {
                    return c;
                }
            }
            if (!s.isEmpty() && s.charAt(0) >= '0' && s.charAt(0) <= '9') {
                try {
                    return byIndex(p, constants, Integer.parseInt(s));
                } catch (NumberFormatException ignored) {
                    // not an index: refused below
                }
            }
            throw new JsonParseException(p, "\"" + s + "\" is not one of " + List.of(constants));
        }
        if (raw == Instant.class) {
            return instant(p, t);
        }
        if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
            if (t != JsonToken.START_ARRAY) {
                throw mismatch(p, raw);
            }
            Type element = argument(type, 0);
            Collection<Object> out = raw == Set.class ? new HashSet<>() : new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(readValue(p, element));
            }
            return out;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (t != JsonToken.START_OBJECT) {
                throw mismatch(p, raw);
            }
            Type value = argument(type, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                out.put(key, readValue(p, value));
            }
            return out;
        }
        if (raw.isRecord()) {
            return readRecord(p, raw, t);
        }
        throw new JsonParseException(p, "not a wire type: " + raw.getName());
    }

    private static Object readRecord(JsonParser p, Class<?> raw, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw mismatch(p, raw);
        }
        Shape shape = SHAPES.get(raw);
        Object[] args = new Object[shape.names.length];
        boolean[] seen = new boolean[args.length];
        int distinct = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int i = shape.index(p.currentName());
            if (i >= 0 && distinct == args.length) {
                // databind makes the record as soon as it has every component, and then has nowhere to put a repeat
                throw new JsonParseException(p, "\"" + shape.names[i] + "\" repeated after all of " + raw.getSimpleName()
                        + "'s fields");
            }
            p.nextToken();
            if (i < 0) {
                p.skipChildren();
            } else {
                args[i] = readValue(p, shape.types[i]);
                if (!seen[i]) {
                    seen[i] = true;
                    distinct++;
                }
            }
        }
        for (int i = 0; i < args.length; i++) {
            if (!seen[i]) {
                args[i] = nullFor(p, raw(shape.types[i]));
            }
        }
        try {
            return shape.constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new JsonParseException(p, "cannot make " + raw.getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new JsonParseException(p, "cannot make " + raw.getSimpleName(), e);
        }
    }

    /** InstantDeserializer's rules: ISO-8601 with any offset, or epoch seconds as a number or a numeric string. */
    private static Instant instant(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochSecond(p.getLongValue());
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return seconds(p.getDecimalValue());
        }
        if (t != JsonToken.VALUE_STRING) {
            throw mismatch(p, Instant.class);
        }
        String s = p.getText().trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (DIGITS.matcher(s).matches()) {
                return Instant.ofEpochSecond(Long.parseLong(s));
            }
            if (DECIMAL.matcher(s).matches()) {
                return seconds(new BigDecimal(s));
            }
            if (s.endsWith("+0000") || s.endsWith("+00:00")) {
                s = s.substring(0, s.lastIndexOf('+')) + "Z";
            }
            return Instant.from(DateTimeFormatter.ISO_INSTANT.parse(s));
        } catch (RuntimeException e) {
            throw new JsonParseException(p, "not a valid Instant: \"" + s + "\"", e);
        }
    }

    private static Instant seconds(BigDecimal value) {
        long seconds = value.longValue();
        int nanos = value.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static Object byIndex(JsonParser p, Object[] constants, int index) throws IOException {
        if (index < 0 || index >= constants.length) {
            throw new JsonParseException(p, "index " + index + " outside [0.." + (constants.length - 1) + "]");
        }
        return constants[index];
    }

    private static Object nullFor(JsonParser p, Class<?> raw) throws IOException {
        if (raw.isPrimitive()) {
            throw new JsonParseException(p, "a " + raw.getName() + " cannot be null or missing");
        }
        return null;
    }

    private static JsonParseException mismatch(JsonParser p, Class<?> raw) {
        return new JsonParseException(p, "a " + raw.getSimpleName() + " cannot be read from " + p.currentToken());
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[index] : Object.class;
    }

    // --- which types ---

    private static boolean supported(Type type, Set<Type> visiting) {
        if (type instanceof ParameterizedType pt) {
            Class<?> raw = (Class<?>) pt.getRawType();
            Type[] args = pt.getActualTypeArguments();
            if (raw == List.class || raw == Set.class) {
                return supported(args[0], visiting);
            }
            return raw == Map.class && args[0] == String.class && supported(args[1], visiting);
        }
        if (!(type instanceof Class<?> c)) {
            return false;
        }
        if (c == String.class || c == Instant.class || c == int.class || c == Integer.class || c == long.class
                || c == Long.class || c == double.class || c == Double.class || c == boolean.class || c == Boolean.class) {
            return true;
        }
        if (c.isEnum()) {
            return c.getAnnotations().length == 0 && plainConstants(c);
        }
        if (!c.isRecord() || c.getAnnotations().length > 0 || c.getTypeParameters().length > 0) {
            return false;
        }
        if (!visiting.add(c)) {
            return true;
        }
        Set<String> names = new HashSet<>();
        for (RecordComponent rc : c.getRecordComponents()) {
            names.add(rc.getName());
            if (rc.getAnnotations().length > 0 || rc.getAccessor().getAnnotations().length > 0
                    || !supported(rc.getGenericType(), visiting)) {
                return false;
            }
        }
        // databind would also write any other public getter (getX(), isX()) as a property
        for (Method m : c.getMethods()) {
            String n = m.getName();
            if (!Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && !names.contains(n)
                    && (n.startsWith("get") && n.length() > 3 && !n.equals("getClass")
                        || n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class)) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainConstants(Class<?> type) {
        for (java.lang.reflect.Field f : type.getFields()) {
            if (f.isEnumConstant() && f.getAnnotations().length > 0) {
                return false;
            }
        }
        return true;
    }
}
