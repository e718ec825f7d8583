package io.chokepoint.events.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chokepoint.events.Topics;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import io.chokepoint.events.serde.SerdeFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one immutable configuration of a Chokepoint process: a config file (properties or YAML,
 * nested YAML keys flatten to dotted names), then {@code CHOKEPOINT_*} environment variables,
 * then command-line flags — later sources win. Components receive this object; none of them
 * reads the environment or system properties on its own.
 *
 * <p>Any Kafka client property passes through under the {@code kafka.} prefix
 * ({@code kafka.security.protocol=SASL_SSL}); registry settings use Confluent's own keys.
 */
public final class ChokepointConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    public static final String ALERTS_SILENCES_TOPIC = "alerts.silences.topic";
    public static final String ALERTS_DELIVERIES_TOPIC = "alerts.deliveries.topic";
    public static final String ALERTS_DELIVERIES_RETENTION = "alerts.deliveries.retention";
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String ENV_PREFIX = "CHOKEPOINT_";

    /**
     * The key a {@code CHOKEPOINT_*} variable sets: the rest of its name in lower case, {@code __}
     * read as {@code -} and {@code _} as {@code .}, so every key has a name a shell's {@code export}
     * accepts ({@code CHOKEPOINT_STREAMS_SCHEDULE_CUSTOMS__HOLD} sets {@code streams.schedule.customs-hold}).
     */
    public static String environmentKey(String variable) {
        return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
    }

    /** The variable that sets {@code key}: the inverse of {@link #environmentKey}. */
    public static String environmentVariable(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
    }

    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(password|secret|token|user\\.info|jaas\\.config|credentials|signing\\.key|api\\.key).*");
    private static final Pattern DURATION = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)");

    /** Where a setting came from, for {@code chokepoint config show}. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT, FLAG }

    private final Map<String, String> values;
    private final Map<String, Source> sources;
    private final List<String> warnings;
    /** Where lookups are recorded for {@code config show}; null in every running component. */
    private final KnownSettings known;

    private ChokepointConfig(Map<String, String> values, Map<String, Source> sources) {
        this(values, sources, null, List.of());
    }

    private ChokepointConfig(Map<String, String> values, Map<String, Source> sources, KnownSettings known, List<String> warnings) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
        this.known = known;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The same settings, but every key a component reads (and the default it falls back to) is
     * recorded in {@code into}: the components' own readers are the one catalogue of settings.
     */
    public ChokepointConfig recordingInto(KnownSettings into) {
        return new ChokepointConfig(values, sources, into, warnings);
    }

    private void note(String key, Object fallback) {
        if (known != null) {
            known.read(key, fallback == null ? Optional.empty()
                    : Optional.of(fallback instanceof Duration d ? formatDuration(d) : fallback.toString()));
        }
    }

    private void notePrefix(String prefix) {
        if (known != null) {
            known.readPrefix(prefix);
        }
    }

    public static ChokepointConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Source> sources = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        file.ifPresent(f -> {
            Map<String, String> read = readFile(f);
            read.forEach((k, v) -> {
                values.put(k, v);
                sources.put(k, Source.FILE);
            });
            secretsReadableByOthers(f, read).ifPresent(warnings::add);
        });
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = environmentKey(name);
                values.put(key, value);
                sources.put(key, Source.ENVIRONMENT);
            }
        });
        flags.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
                sources.put(k, Source.FLAG);
            }
        });
        return new ChokepointConfig(values, sources, null, warnings);
    }

    /** What the user should fix but that does not stop the process: a config file holding secrets that others can read. */
    public List<String> warnings() {
        return warnings;
    }

    private static Optional<String> secretsReadableByOthers(Path file, Map<String, String> read) {
        List<String> secrets = read.entrySet().stream().filter(e -> isSecret(e.getKey()) && !e.getValue().isBlank())
                .map(Map.Entry::getKey).sorted().toList();
        if (secrets.isEmpty()) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty(); // no POSIX permissions to judge (Windows): nothing to say
        }
        if (!permissions.contains(PosixFilePermission.GROUP_READ) && !permissions.contains(PosixFilePermission.OTHERS_READ)) {
            return Optional.empty();
        }
        return Optional.of("config file " + file + " holds secrets (" + String.join(", ", secrets) + ") and is readable by "
                + (permissions.contains(PosixFilePermission.OTHERS_READ) ? "every user" : "its group") + " ("
                + PosixFilePermissions.toString(permissions) + "); restrict it with: chmod 600 " + file);
    }

    public static ChokepointConfig of(Map<String, String> values) {
        Map<String, Source> sources = new LinkedHashMap<>();
        values.keySet().forEach(k -> sources.put(k, Source.FLAG));
        return new ChokepointConfig(values, sources);
    }

    /** A copy with more settings on top (later wins), e.g. the embedded cluster's addresses. */
    public ChokepointConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        Map<String, Source> mergedSources = new LinkedHashMap<>(sources);
        overrides.forEach((k, v) -> {
            merged.put(k, v);
            mergedSources.put(k, Source.FLAG);
        });
        return new ChokepointConfig(merged, mergedSources, known, warnings);
    }

    public Optional<String> find(String key) {
        note(key, null);
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String get(String key) {
        return find(key).orElseThrow(() -> new ConfigProblem(key, "is required but not set (config file, "
                + environmentVariable(key) + ", or a flag)"));
    }

    public String get(String key, String fallback) {
        note(key, fallback);
        return find(key).orElse(fallback);
    }

    public int getInt(String key, int fallback) {
        note(key, fallback);
        return find(key).map(v -> {
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new ConfigProblem(key, "must be a whole number, got '" + v + "'");
            }
        }).orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        note(key, fallback);
        return find(key).map(v -> {
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new ConfigProblem(key, "must be a whole number, got '" + v + "'");
            }
        }).orElse(fallback);
    }

    public double getDouble(String key, double fallback) {
        note(key, fallback);
        return find(key).map(v -> {
            try {
                return Double.parseDouble(v.strip());
            } catch (NumberFormatException e) {
                throw new ConfigProblem(key, "must be a number, got '" + v + "'");
            }
        }).orElse(fallback);
    }

    public boolean getBoolean(String key, boolean fallback) {
        note(key, fallback);
        return find(key).map(v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigProblem(key, "must be true or false, got '" + v + "'");
        }).orElse(fallback);
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT1H}). */
    public Duration getDuration(String key, Duration fallback) {
        note(key, fallback);
        return find(key).map(v -> parseDuration(key, v)).orElse(fallback);
    }

    public static Duration parseDuration(String key, String text) {
        String v = text.strip();
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new ConfigProblem(key, "must be a duration such as 500ms, 30s, 15m, 24h, 7d or PT1H, got '" + text + "'");
        }
    }

    /** The shortest spelling {@link #parseDuration} reads back: {@code 24h}, {@code 7d}, {@code 500ms}. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms >= 2 * 86_400_000L && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        } else if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        } else if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        } else if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** Kafka client properties: {@code bootstrap.servers} plus every {@code kafka.*} key without its prefix. */
    public Properties kafkaClientProperties() {
        notePrefix(KAFKA_PREFIX);
        Properties props = new Properties();
        props.put(BOOTSTRAP_SERVERS, get(BOOTSTRAP_SERVERS));
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                props.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return props;
    }

    /** Schema-registry settings under Confluent's keys, for {@link SerdeFactory}. */
    public Map<String, Object> registryProperties() {
        notePrefix("schema.registry.");
        notePrefix("basic.auth.");
        notePrefix("bearer.auth.");
        List.of("auto.register.schemas", "use.latest.version", "specific.avro.reader", SerdeFactory.SERDE_CLASS).forEach(k -> note(k, null));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(SCHEMA_REGISTRY_URL, get(SCHEMA_REGISTRY_URL));
        values.forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.startsWith("bearer.auth.") || k.equals("auto.register.schemas")
                    || k.equals("use.latest.version") || k.equals("specific.avro.reader") || k.equals(SerdeFactory.SERDE_CLASS)) {
                props.put(k, v);
            }
        });
        return props;
    }

    public SerdeFactory serdes() {
        return new SerdeFactory(registryProperties());
    }

    public Topics topics() {
        return new Topics(topicPrefix(), topicPartitions(), alertDispatcherTopics(), serdes());
    }

    /** The alert dispatcher's topics, named after {@code topic.prefix} unless renamed; unlike {@link #topics} they need no registry. */
    public Topics.AlertDispatcherTopics alertDispatcherTopics() {
        String prefix = topicPrefix();
        return Topics.AlertDispatcherTopics.of(
                get(ALERTS_SILENCES_TOPIC, prefix + Topics.AlertDispatcherTopics.SILENCES),
                get(ALERTS_DELIVERIES_TOPIC, prefix + Topics.AlertDispatcherTopics.DELIVERIES),
                topicPartitions(),
                getDuration(ALERTS_DELIVERIES_RETENTION, Topics.AlertDispatcherTopics.DEFAULT_DELIVERIES_RETENTION));
    }

    public String topicPrefix() {
        return get(TOPIC_PREFIX, "");
    }

    public int topicPartitions() {
        int partitions = getInt(TOPIC_PARTITIONS, Topics.DEFAULT_PARTITIONS);
        if (partitions < 1) {
            throw new ConfigProblem(TOPIC_PARTITIONS, "must be at least 1, got " + partitions);
        }
        return partitions;
    }

    public short replicationFactor() {
        int factor = getInt(TOPIC_REPLICATION_FACTOR, 1);
        if (factor < 1 || factor > Short.MAX_VALUE) {
            throw new ConfigProblem(TOPIC_REPLICATION_FACTOR, "must be at least 1, got " + factor);
        }
        return (short) factor;
    }

    /** Every setting with secrets replaced by {@code [redacted]}, sorted by key. */
    public Map<String, String> redacted() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, isSecret(k) ? "[redacted]" : redactUrlCredentials(v)));
        return shown;
    }

    public Map<String, Source> sources() {
        return sources;
    }

    public static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    private static String redactUrlCredentials(String value) {
        return value.replaceAll("(https?://)[^/@\\s]+@", "$1[redacted]@");
    }

    private static Map<String, String> readFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(file)) {
            throw new ConfigProblem(file, "is a directory, not a .properties or .yaml file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return readYaml(file, reader);
            }
            Properties props = new Properties();
            props.load(reader);
            Map<String, String> flat = new LinkedHashMap<>();
            props.stringPropertyNames().forEach(k -> flat.put(k, props.getProperty(k)));
            return flat;
        } catch (NoSuchFileException e) {
            throw new ConfigProblem(file, "does not exist");
        } catch (AccessDeniedException e) {
            throw new ConfigProblem(file, "cannot be read (permission denied)");
        } catch (CharacterCodingException e) {
            throw new ConfigProblem(file, "is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigProblem(file, "cannot be read: " + firstLine(e.getMessage()));
        } catch (IllegalArgumentException e) {
            // Properties.load on a malformed unicode escape
            throw new ConfigProblem(file, firstLine(e.getMessage()));
        }
    }

    private static Map<String, String> readYaml(Path file, Reader reader) throws IOException {
        String text = readBounded(file, reader);
        refuseAliases(file, text);
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new ConfigProblem(file, where + yamlProblem(e));
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new ConfigProblem(file, "must be a mapping of settings (key: value), not " + (root.isArray() ? "a list" : "a single value"));
        }
        flatten("", root, flat);
        return flat;
    }

    /** A config file is small: one larger than this is a mistake (or an attack), not settings. */
    private static final int MAX_FILE_CHARS = 1 << 20;

    private static String readBounded(Path file, Reader reader) throws IOException {
        char[] buffer = new char[MAX_FILE_CHARS + 1];
        int length = 0;
        for (int n; length < buffer.length && (n = reader.read(buffer, length, buffer.length - length)) > 0; ) {
            length += n;
        }
        if (length > MAX_FILE_CHARS) {
            throw new ConfigProblem(file, "is larger than " + MAX_FILE_CHARS / 1024 + " KiB; a config file holds settings only");
        }
        return new String(buffer, 0, length);
    }

    /**
     * Settings have no use for anchors and aliases, and an alias bomb ("billion laughs") expands
     * exponentially in any reader that follows them: refuse the first alias with its line.
     */
    private static void refuseAliases(Path file, String text) {
        try {
            for (Event event : new Yaml(new LoaderOptions()).parse(new StringReader(text))) {
                if (event instanceof AliasEvent alias) {
                    throw new ConfigProblem(file, "line " + (alias.getStartMark().getLine() + 1)
                            + ": YAML aliases (*name) are not allowed in a config file; write the value out");
                }
            }
        } catch (YAMLException e) {
            // not YAML at all: Jackson's reader below reports it with its line and column
        }
    }

    /**
     * SnakeYAML's message spans several lines: a context, a problem, each followed by its mark
     * ({@code in 'reader', line L, column C:}, the source line and a caret). Keep the problem and its context.
     */
    private static String yamlProblem(JsonProcessingException e) {
        List<String> sentences = new ArrayList<>();
        boolean inMark = false;
        for (String line : e.getOriginalMessage().lines().map(String::strip).toList()) {
            if (line.startsWith("in 'reader'")) {
                inMark = true;
            } else if (inMark) {
                inMark = !line.startsWith("^");
            } else if (!line.isEmpty()) {
                sentences.add(line);
            }
        }
        if (sentences.isEmpty()) {
            return "not valid YAML";
        }
        String problem = sentences.get(sentences.size() - 1);
        return sentences.size() > 1 ? problem + " (" + sentences.get(0) + ")" : problem;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            node.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item.asText()));
            out.put(prefix, joined.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    /** A setting is missing or malformed; the message names the key and what is expected. */
    public static final class ConfigProblem extends RuntimeException {
        private final String key;

        public ConfigProblem(String key, String reason) {
            super("configuration '" + key + "' " + reason);
            this.key = key;
        }

        /** The config file itself is unusable: the message names the file and the reason (line and column where known). */
        public ConfigProblem(Path file, String reason) {
            super("config file " + file + ": " + reason);
            this.key = "--config";
        }

        public String key() {
            return key;
        }
    }
}
