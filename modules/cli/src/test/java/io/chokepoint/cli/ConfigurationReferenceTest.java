package io.chokepoint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.config.KnownSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting the code reads is in the configuration reference under its environment variable,
 * and a user reaches it from a config file, from that variable and from {@code --set}.
 *
 * <p>The keys are those the components' own readers record when {@code config show} runs them
 * ({@link ModuleSettings}); a key literal in the sources that no reader there records fails, so a
 * new settings class cannot slip past both {@code config show} and this test.
 */
class ConfigurationReferenceTest {

    private static final Path MODULES = Path.of("..");
    private static final Path REFERENCE = Path.of("../../docs/configuration.md");
    private static final Path README = Path.of("../../README.md");

    /** Chokepoint's own key namespaces: registry keys are Confluent's, and {@code chokepoint.*} literals name metrics. */
    private static final Pattern KEY_LITERAL = Pattern.compile("\"((?:topic|streams|rules|alerts|dashboard|http|bootstrap)\\.[a-z0-9.-]*[a-z0-9])\"");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static Map<String, Optional<String>> keys;

    @BeforeAll
    static void recordTheKeysTheComponentsRead() {
        KnownSettings known = new KnownSettings();
        ModuleSettings.problems(ChokepointConfig.of(Map.of()).recordingInto(known));
        keys = known.defaults();
    }

    @Test
    void everyKeyLiteralInTheSourcesIsReadByAComponentThatConfigShowRuns() throws IOException {
        Set<String> literals = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(MODULES)) {
            for (Path source : sources.filter(f -> f.toString().contains("/src/main/java/") && f.toString().endsWith(".java")).toList()) {
                Matcher m = KEY_LITERAL.matcher(Files.readString(source));
                while (m.find()) {
                    literals.add(m.group(1));
                }
            }
        }

        assertThat(literals).as("key literals in the sources").contains(ChokepointConfig.TOPIC_PREFIX);
        assertThat(literals.stream().filter(key -> !keys.containsKey(key)).toList())
                .as("keys in the sources that no reader run by ModuleSettings (config show) records").isEmpty();
    }

    @Test
    void everyKeyIsInTheReferenceUnderItsEnvironmentVariable() throws IOException {
        List<List<String>> rows = tableRows(Files.readString(REFERENCE));

        List<String> undocumented = keys.keySet().stream()
                .filter(key -> rows.stream().noneMatch(row -> documents(row, key)))
                .map(key -> key + " (" + ChokepointConfig.environmentVariable(key) + ")")
                .toList();

        assertThat(undocumented).as("keys missing from docs/configuration.md, or listed under another environment variable").isEmpty();
    }

    @Test
    void theReadmeNamesEachKeyItListsWithItsEnvironmentVariable() throws IOException {
        String readme = Files.readString(README);
        String configuration = readme.substring(readme.indexOf("\n## Configuration\n"), readme.indexOf("\n## Command line\n"));
        List<List<String>> rows = tableRows(configuration);

        List<String> listed = keys.keySet().stream().filter(key -> rows.stream().anyMatch(row -> codeSpans(row.get(0)).contains(key))).toList();
        List<String> misnamed = listed.stream().filter(key -> rows.stream()
                .filter(row -> codeSpans(row.get(0)).contains(key)).noneMatch(row -> documents(row, key))).toList();

        assertThat(listed).contains(ChokepointConfig.BOOTSTRAP_SERVERS, ChokepointConfig.TOPIC_PREFIX);
        assertThat(misnamed).as("README rows with another environment variable than the key's").isEmpty();
    }

    @Test
    void everyKeyIsReachableFromTheFileTheEnvironmentAndAFlag(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("chokepoint.yaml");
        ObjectNode yaml = new ObjectMapper().createObjectNode();
        keys.keySet().forEach(key -> nest(yaml, key, value(key, "file")));
        new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), yaml);
        Map<String, String> environment = new LinkedHashMap<>();
        keys.keySet().forEach(key -> environment.put(ChokepointConfig.environmentVariable(key), value(key, "environment")));
        List<String> flags = new ArrayList<>(List.of("config", "show"));
        keys.keySet().forEach(key -> flags.addAll(List.of("--set", key + "=" + value(key, "flag"))));

        assertThat(unreached(shown(Map.of(), "config", "show", "--config", file.toString()), "file")).as("not reached from the file").isEmpty();
        assertThat(unreached(shown(environment, "config", "show"), "environment")).as("not reached from the environment").isEmpty();
        assertThat(unreached(shown(Map.of(), flags.toArray(String[]::new)), "flag")).as("not reached from --set").isEmpty();
    }

    /** A valid value where the key has a default (the default itself), else one naming its source. */
    private static String value(String key, String source) {
        return keys.get(key).filter(v -> !v.isBlank()).orElse("from-" + source);
    }

    /** The lines {@code config show} should print for every key set by {@code source} but did not. */
    private static List<String> unreached(List<String> shown, String source) {
        return keys.keySet().stream()
                .map(key -> key + "=" + (ChokepointConfig.isSecret(key) ? "[redacted]" : value(key, source)) + "    # " + source)
                .filter(line -> !shown.contains(line))
                .toList();
    }

    private static List<String> shown(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = ChokepointCommand.commandLine(environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        commandLine.execute(args);
        return out.toString().lines().toList();
    }

    /** {@code a.b-c.d: v} as a user writes it: {@code a: {b-c: {d: v}}}. */
    private static void nest(ObjectNode root, String key, String value) {
        String[] path = key.split("\\.");
        ObjectNode node = root;
        for (String segment : Arrays.asList(path).subList(0, path.length - 1)) {
            node = node.has(segment) ? (ObjectNode) node.get(segment) : node.putObject(segment);
        }
        node.put(path[path.length - 1], value);
    }

    /** A reference row documents a key when its first cell names the key and its second the key's variable. */
    private static boolean documents(List<String> row, String key) {
        return row.size() > 1 && codeSpans(row.get(0)).contains(key)
                && codeSpans(row.get(1)).contains(ChokepointConfig.environmentVariable(key));
    }

    /** The cells of every Markdown table row ({@code \|} inside a cell is text). */
    private static List<List<String>> tableRows(String markdown) {
        return markdown.lines().filter(line -> line.startsWith("|"))
                .map(line -> Arrays.stream(line.substring(1).split("(?<!\\\\)\\|")).map(String::strip).toList())
                .toList();
    }

    private static Set<String> codeSpans(String cell) {
        Set<String> spans = new TreeSet<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }
}
