package io.latchkey.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Variations of a JSON document, to hold two readers' answers equal: see {@code StreamingJsonTest}. */
public final class JsonVariants {
    private static final ObjectMapper TREE = new ObjectMapper();
    /** Every JSON kind, numbers at the edges, strings that databind coerces to numbers, booleans, enums and times. */
    private static final List<String> VALUES = List.of("null", "\"\"", "\" \"", "\"x\"", "0", "1", "2", "-1", "1.5", "1.7",
            "-0", "1e3", "1E400", "3000000000", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "true", "false", "\"12\"", "\" 12 \"", "\"-12\"", "\"1.5\"", "\"0x10\"", "\"true\"", "\"True\"", "\"yes\"",
            "\"null\"", "\"NaN\"", "\"Infinity\"", "\"1\"", "\"9\"", "\"LOCKED\"", "\"locked\"", "[]", "[null]", "[\"a\"]",
            "[1,2]", "{}", "{\"a\":1}", "{\"a\":null}", "\"1970-01-01T00:00:01+01:00\"", "\"2026-12-06T12:00:00+0000\"",
            "\"2026-12-06T12:00:00.123456789Z\"", "\"2026-12-06T12:00:00\"", "\"2026-12-06\"");

    private JsonVariants() {
    }

    /** The document itself and its variations. */
    public static Set<String> of(String doc) {
        Set<String> out = new LinkedHashSet<>();
        out.add(doc);
        for (String whole : List.of("null", "[]", "\"x\"", "12", "{}", "true", "{", "", " ", "[" + doc + "]", doc + " junk",
                doc + "}", doc.substring(0, doc.length() - 1), doc + doc, "{\"unknown\":{\"deep\":[1,{\"x\":null}]}," + doc.substring(1))) {
            out.add(whole);
        }
        JsonNode root = tree(doc);
        if (root instanceof ObjectNode object) {
            mutate(object, object, out);
            // a repeated field: the last one counts
            if (object.size() > 0) {
                String first = object.fieldNames().next();
                for (String value : VALUES) {
                    out.add(doc.substring(0, doc.length() - 1) + ",\"" + first + "\":" + value + "}");
                    out.add("{\"" + first + "\":" + value + "," + doc.substring(1));
                }
            }
        }
        return out;
    }

    private static void mutate(ObjectNode root, JsonNode node, Set<String> out) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode original = object.get(name);
                object.remove(name);
                out.add(root.toString());
                for (String value : VALUES) {
                    object.set(name, tree(value));
                    out.add(root.toString());
                }
                object.set(name, original);
                // keep the order of the fields as it was
                for (String later : names.subList(names.indexOf(name) + 1, names.size())) {
                    object.set(later, object.remove(later));
                }
                mutate(root, original, out);
            }
        } else if (node instanceof ArrayNode array && array.size() > 0) {
            JsonNode first = array.get(0);
            for (String value : VALUES) {
                array.set(0, tree(value));
                out.add(root.toString());
            }
            array.set(0, first);
            mutate(root, first, out);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return TREE.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
