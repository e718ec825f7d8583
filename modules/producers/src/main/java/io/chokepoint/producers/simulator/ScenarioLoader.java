package io.chokepoint.producers.simulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds a scenario by name among those shipped ({@code trade-war-2025}, {@code calm-2025}) or reads a user's YAML
 * file, and validates it.
 */
public final class ScenarioLoader {

    /** Scenarios shipped as resources under {@code io/chokepoint/producers/scenarios/NAME.yaml}. */
    public static final List<String> BUILT_IN = List.of("trade-war-2025", "calm-2025");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ScenarioLoader() {
    }

    /** A built-in name, or a path to a YAML file. */
    public static Scenario load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            String resource = "/io/chokepoint/producers/scenarios/" + nameOrPath + ".yaml";
            try (InputStream in = ScenarioLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in scenario resource " + resource + " is missing from the build");
                }
                return parse(nameOrPath, in);
            } catch (IOException e) {
                throw new ScenarioException("cannot read built-in scenario " + nameOrPath + ": " + e.getMessage());
            }
        }
        Path path = Path.of(nameOrPath);
        if (!nameOrPath.endsWith(".yaml") && !nameOrPath.endsWith(".yml") && !Files.exists(path)) {
            throw new ScenarioException("unknown scenario '" + nameOrPath + "': use one of " + String.join(", ", BUILT_IN)
                    + " or the path of a YAML scenario file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return parse(nameOrPath, in);
        } catch (NoSuchFileException e) {
            throw new ScenarioException("scenario file " + nameOrPath + " does not exist");
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario file " + nameOrPath + ": " + e.getMessage());
        }
    }

    static Scenario parse(String source, InputStream in) {
        ScenarioFile file;
        try {
            file = YAML.readValue(in, ScenarioFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ScenarioException(source + where(e) + ": unknown setting '" + e.getPropertyName() + "' at " + path(e)
                    + " (known: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw new ScenarioException(source + where(e) + ": " + path(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source + where(e) + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario " + source + ": " + e.getMessage());
        }
        if (file == null) {
            throw new ScenarioException("scenario " + source + " is empty");
        }
        return Scenario.compile(file);
    }

    private static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? "" : " line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                p.append(p.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                p.append('[').append(ref.getIndex()).append(']');
            }
        }
        return p.length() == 0 ? "(top level)" : p.toString();
    }
}
