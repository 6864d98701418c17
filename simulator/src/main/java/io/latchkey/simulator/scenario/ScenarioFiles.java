package io.latchkey.simulator.scenario;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads scenarios from YAML or JSON files (YAML is a superset), or by the name of a built-in one. */
public final class ScenarioFiles {
    public static final List<String> BUILT_IN = List.of("morning-rush", "underground-car-park", "reboot-storm", "ci-short", "full-day", "ci-rentals");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ScenarioFiles() {
    }

    /** A file path, or one of {@link #BUILT_IN}. */
    public static ScenarioSpec load(String fileOrName) {
        if (BUILT_IN.contains(fileOrName)) {
            try (InputStream in = ScenarioFiles.class.getResourceAsStream("/scenarios/" + fileOrName + ".yaml")) {
                if (in == null) {
                    throw new ScenarioException("built-in scenario " + fileOrName + " is missing from the jar");
                }
                return read(in, fileOrName);
            } catch (IOException e) {
                throw new ScenarioException("built-in scenario " + fileOrName + " cannot be read", e);
            }
        }
        Path file = Path.of(fileOrName);
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException("no scenario file '" + fileOrName + "' and no built-in of that name; built in: " + BUILT_IN);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, fileOrName);
        } catch (IOException e) {
            throw new ScenarioException(fileOrName + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses and validates; errors name the source, line and field. */
    public static ScenarioSpec read(InputStream in, String source) throws IOException {
        ScenarioSpec spec;
        try {
            spec = YAML.readValue(in, ScenarioSpec.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() instanceof ScenarioException s ? s : e;
            throw new ScenarioException(source + ": " + location(e) + cause.getMessage(), e);
        } catch (JacksonException e) {
            throw new ScenarioException(source + ": " + location(e) + e.getOriginalMessage(), e);
        }
        if (spec == null) {
            throw new ScenarioException(source + ": empty scenario");
        }
        try {
            return spec.validate();
        } catch (ScenarioException e) {
            throw new ScenarioException(source + ": " + e.getMessage(), e);
        }
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
    }
}
