package io.latchkey.hal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the agent's config file into flat key/value pairs: a {@code .json} file as JSON, anything else
 * as Java properties. Both formats use the same keys: a JSON object is flattened with dots, so
 * {@code {"device":{"id":"dev-1"}}} and {@code device.id=dev-1} mean the same. The agent and the
 * installer's self-test read the file through this one reader.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /** @throws ConfigException if the file does not exist or cannot be read */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        return file.getFileName().toString().endsWith(".json") ? readJson(file) : readProperties(file);
    }

    private static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return values;
    }

    private static Map<String, String> readJson(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config file " + file + ": expected a JSON object");
        }
        Map<String, String> values = new TreeMap<>();
        flatten("", root, values);
        return values;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
            }
        } else if (node.isValueNode()) {
            out.put(prefix, node.asText());
        } else {
            throw new ConfigException(prefix + ": expected a value or an object, got " + node.getNodeType());
        }
    }
}
