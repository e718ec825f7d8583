package io.chokepoint.alerts.routing;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.routing.ReceiverSpec.BreakerPolicy;
import io.chokepoint.alerts.routing.ReceiverSpec.RetryPolicy;
import io.chokepoint.alerts.routing.YamlTree.Mapping;
import io.chokepoint.alerts.routing.YamlTree.Node;
import io.chokepoint.alerts.routing.YamlTree.Scalar;
import io.chokepoint.alerts.routing.YamlTree.Sequence;
import io.chokepoint.events.config.ChokepointConfig;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads and validates a routing file. Every error names file, line and field; unknown keys are
 * errors too (a misspelt {@code group_wiat} must not silently become the default).
 *
 * <p>Secrets need not sit in the file: {@code signing_secret_config: alerts.secrets.ops} reads the
 * Chokepoint setting of that name (so {@code CHOKEPOINT_ALERTS_SECRETS_OPS} in the environment).
 */
public final class RoutingConfigLoader {

    private static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    /** In-flight notifications per receiver: sends are asynchronous, so this costs connections, not threads. */
    private static final int DEFAULT_HTTP_CONCURRENCY = 16;
    private static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    private static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    private final String file;
    private final Function<String, Optional<String>> settings;
    /** Every problem found; the file is rejected with all of them, as rule files are. */
    private final List<RoutingConfigException> problems = new ArrayList<>();

    private RoutingConfigLoader(String file, Function<String, Optional<String>> settings) {
        this.file = file;
        this.settings = settings;
    }

    public static RoutingConfig load(Path path, ChokepointConfig config) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(reader, path.toString(), config::find);
        } catch (NoSuchFileException e) {
            throw new RoutingConfigException(path.toString(), 0, "", "file does not exist");
        } catch (IOException e) {
            throw new RoutingConfigException(path.toString(), 0, "", "cannot be read: " + e.getMessage());
        }
    }

    public static RoutingConfig parse(String yaml, String file, Function<String, Optional<String>> settings) {
        return parse(new StringReader(yaml), file, settings);
    }

    public static RoutingConfig parse(Reader reader, String file, Function<String, Optional<String>> settings) {
        RoutingConfigLoader loader = new RoutingConfigLoader(file, settings);
        RoutingConfig config = loader.read(YamlTree.parse(reader, file));
        if (!loader.problems.isEmpty()) {
            throw RoutingConfigException.of(loader.problems);
        }
        return config;
    }

    /** Runs one independent check; a problem is recorded and {@code orElse} stands in for the value. */
    private <T> T check(Supplier<T> part, T orElse) {
        try {
            return part.get();
        } catch (RoutingConfigException e) {
            problems.add(e);
            return orElse;
        }
    }

    private void check(Runnable part) {
        check(() -> {
            part.run();
            return null;
        }, null);
    }

    private RoutingConfig read(Node rootNode) {
        Mapping root = mapping(rootNode);
        allowOnly(root, Set.of("route", "receivers", "inhibit_rules"));
        Map<String, ReceiverSpec> receivers = new LinkedHashMap<>();
        Map<String, Node> receiverNodes = new LinkedHashMap<>();
        Set<String> declared = new HashSet<>();
        List<Node> receiverItems = check(() -> sequence(required(root, "receivers")).items(), List.of());
        for (Node item : receiverItems) {
            // a receiver with problems is still declared, so routes naming it report only their own problems
            if (item instanceof Mapping m && m.entries().get("name") instanceof Scalar name && name.text() != null) {
                declared.add(name.text());
            }
            ReceiverSpec spec = check(() -> receiver(mapping(item)), null);
            if (spec == null) {
                continue;
            }
            if (receivers.put(spec.name(), spec) != null) {
                problems.add(error(item, YamlTree.join(item.path(), "name"), "receiver '" + spec.name() + "' is declared twice"));
            }
            receiverNodes.put(spec.name(), item);
        }
        receivers.forEach((name, spec) -> spec.fallback().ifPresent(fb -> {
            Mapping node = (Mapping) receiverNodes.get(name);
            if (!declared.contains(fb)) {
                problems.add(error(node.entries().get("fallback"), "fallback receiver '" + fb + "' is not declared under receivers"));
            }
            if (fb.equals(name)) {
                problems.add(error(node.entries().get("fallback"), "a receiver cannot be its own fallback"));
            }
        }));
        Route rootRoute = check(() -> {
            Mapping routeNode = mapping(required(root, "route"));
            if (routeNode.entries().containsKey("matchers") || routeNode.entries().containsKey("continue")) {
                problems.add(error(routeNode, "the root route takes every alert; put matchers and continue on its child routes"));
            }
            Route r = route(routeNode, "0", List.of(), List.of(AlertLabelsGroup.DEFAULT), DEFAULT_GROUP_WAIT,
                    DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, declared);
            if (r.receivers().isEmpty()) {
                problems.add(error(routeNode, "the root route needs a receiver (it takes alerts no child route matches)"));
            }
            return r;
        }, null);
        List<InhibitRule> inhibitRules = new ArrayList<>();
        Node inhibit = root.entries().get("inhibit_rules");
        if (inhibit != null && !isNull(inhibit)) {
            for (Node item : check(() -> sequence(inhibit).items(), List.<Node>of())) {
                InhibitRule rule = check(() -> inhibitRule(mapping(item)), null);
                if (rule != null) {
                    inhibitRules.add(rule);
                }
            }
        }
        return problems.isEmpty() ? new RoutingConfig(rootRoute, Map.copyOf(receivers), List.copyOf(inhibitRules)) : null;
    }

    /** The default group_by when the file sets none: one group per rule and commodity. */
    private static final class AlertLabelsGroup {
        static final String DEFAULT = io.chokepoint.alerts.AlertLabels.ALERT_NAME;
    }

    private Route route(Mapping node, String id, List<String> parentReceivers, List<String> parentGroupBy,
                        Duration parentWait, Duration parentInterval, Duration parentRepeat, Set<String> declared) {
        allowOnly(node, Set.of("receiver", "receivers", "matchers", "continue", "group_by", "group_wait",
                "group_interval", "repeat_interval", "routes"));
        List<String> receivers = parentReceivers;
        if (node.entries().containsKey("receiver") && node.entries().containsKey("receivers")) {
            problems.add(error(node, "set either receiver or receivers, not both"));
        }
        if (node.entries().containsKey("receiver")) {
            receivers = check(() -> List.of(text(node.entries().get("receiver"))), parentReceivers);
        } else if (node.entries().containsKey("receivers")) {
            receivers = check(() -> strings(node.entries().get("receivers")), parentReceivers);
        }
        Node receiverNode = node.entries().getOrDefault("receiver", node.entries().get("receivers"));
        for (String r : receivers) {
            if (!declared.contains(r) && receiverNode != null) {
                problems.add(error(receiverNode, "receiver '" + r + "' is not declared under receivers"));
            }
        }
        List<LabelMatcher> matchers = matchers(node.entries().get("matchers"));
        boolean cont = node.entries().containsKey("continue") && check(() -> bool(node.entries().get("continue")), false);
        List<String> groupBy = node.entries().containsKey("group_by")
                ? check(() -> labelNames(node.entries().get("group_by")), parentGroupBy) : parentGroupBy;
        if (groupBy.contains(Route.GROUP_BY_ALL) && groupBy.size() > 1) {
            problems.add(error(node.entries().get("group_by"), "'...' means all labels and must stand alone"));
        }
        Duration wait = check(() -> duration(node, "group_wait", parentWait, true), parentWait);
        Duration interval = check(() -> duration(node, "group_interval", parentInterval, false), parentInterval);
        Duration repeat = check(() -> duration(node, "repeat_interval", parentRepeat, false), parentRepeat);
        List<Route> children = new ArrayList<>();
        Node routes = node.entries().get("routes");
        if (routes != null && !isNull(routes)) {
            List<Node> items = check(() -> sequence(routes).items(), List.<Node>of());
            List<String> inherited = receivers;
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String childId = id + "." + i;
                Route child = check(() -> route(mapping(item), childId, inherited, groupBy, wait, interval, repeat, declared), null);
                if (child != null) {
                    children.add(child);
                }
            }
        }
        return new Route(id, matchers, List.copyOf(receivers), cont, List.copyOf(groupBy), wait, interval, repeat, List.copyOf(children));
    }

    private InhibitRule inhibitRule(Mapping node) {
        allowOnly(node, Set.of("source_matchers", "target_matchers", "equal"));
        List<LabelMatcher> source = matchers(required(node, "source_matchers"));
        List<LabelMatcher> target = matchers(required(node, "target_matchers"));
        if (source.isEmpty() || target.isEmpty()) {
            throw error(node, "source_matchers and target_matchers must each hold at least one matcher");
        }
        List<String> equal = node.entries().containsKey("equal") ? labelNames(node.entries().get("equal")) : List.of();
        return new InhibitRule(source, target, equal);
    }

    private ReceiverSpec receiver(Mapping node) {
        allowOnly(node, Set.of("name", "webhook", "slack", "kafka", "json_lines", "console", "concurrency", "retry", "circuit_breaker", "fallback"));
        String name = text(required(node, "name"));
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw error(node.entries().get("name"), "receiver names use letters, digits, '.', '_' and '-' only, got '" + name + "'");
        }
        List<String> kinds = node.entries().keySet().stream()
                .filter(k -> Set.of("webhook", "slack", "kafka", "json_lines", "console").contains(k)).toList();
        if (kinds.size() != 1) {
            throw error(node, "receiver '" + name + "' needs exactly one of webhook, slack, kafka, json_lines, console; found "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
        }
        Node kindNode = node.entries().get(kinds.get(0));
        // "console:" with nothing after it reads as null: it has no settings to give
        Mapping target = kinds.get(0).equals("console") && isNull(kindNode) ? null : mapping(kindNode);
        ReceiverSpec.Target t = target == null ? new ReceiverSpec.Console() : switch (kinds.get(0)) {
            case "webhook" -> {
                allowOnly(target, Set.of("url", "signing_secret", "signing_secret_config", "connect_timeout", "read_timeout", "headers"));
                Map<String, String> headers = new TreeMap<>();
                Node h = target.entries().get("headers");
                if (h != null && !isNull(h)) {
                    mapping(h).entries().forEach((k, v) -> headers.put(k, text(v)));
                }
                yield new ReceiverSpec.Webhook(url(required(target, "url")), secret(target),
                        duration(target, "connect_timeout", DEFAULT_CONNECT_TIMEOUT, false),
                        duration(target, "read_timeout", DEFAULT_READ_TIMEOUT, false), Map.copyOf(headers));
            }
            case "slack" -> {
                allowOnly(target, Set.of("url", "channel", "username", "signing_secret", "signing_secret_config",
                        "connect_timeout", "read_timeout"));
                yield new ReceiverSpec.Slack(url(required(target, "url")), optionalText(target, "channel"),
                        optionalText(target, "username"), secret(target),
                        duration(target, "connect_timeout", DEFAULT_CONNECT_TIMEOUT, false),
                        duration(target, "read_timeout", DEFAULT_READ_TIMEOUT, false));
            }
            case "kafka" -> {
                allowOnly(target, Set.of("topic"));
                String topic = text(required(target, "topic"));
                if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
                    throw error(target.entries().get("topic"), "'" + topic + "' is not a legal Kafka topic name");
                }
                yield new ReceiverSpec.KafkaTopic(topic);
            }
            case "console" -> {
                allowOnly(target, Set.of());
                yield new ReceiverSpec.Console();
            }
            default -> {
                allowOnly(target, Set.of("path", "fsync"));
                yield new ReceiverSpec.JsonLines(text(required(target, "path")),
                        target.entries().containsKey("fsync") && bool(target.entries().get("fsync")));
            }
        };
        int concurrency = integer(node, "concurrency", t instanceof ReceiverSpec.JsonLines || t instanceof ReceiverSpec.Console ? 1 : DEFAULT_HTTP_CONCURRENCY, 1);
        if (concurrency > 64) {
            throw error(node.entries().get("concurrency"), "must be at most 64, got " + concurrency);
        }
        return new ReceiverSpec(name, t, concurrency, retry(node.entries().get("retry")), breaker(node.entries().get("circuit_breaker")),
                optionalText(node, "fallback"));
    }

    private RetryPolicy retry(Node n) {
        RetryPolicy d = RetryPolicy.defaults();
        if (n == null || isNull(n)) {
            return d;
        }
        Mapping m = mapping(n);
        allowOnly(m, Set.of("max_attempts", "initial_backoff", "max_backoff", "multiplier", "jitter", "max_retry_after"));
        int attempts = integer(m, "max_attempts", d.maxAttempts(), 1);
        double multiplier = number(m, "multiplier", d.multiplier());
        if (multiplier < 1.0) {
            throw error(m.entries().get("multiplier"), "must be at least 1.0, got " + multiplier);
        }
        double jitter = number(m, "jitter", d.jitter());
        if (jitter < 0 || jitter > 1) {
            throw error(m.entries().get("jitter"), "must be between 0 and 1, got " + jitter);
        }
        Duration initial = duration(m, "initial_backoff", d.initialBackoff(), false);
        Duration max = duration(m, "max_backoff", d.maxBackoff(), false);
        if (max.compareTo(initial) < 0) {
            throw error(m.entries().get("max_backoff"), "must not be shorter than initial_backoff");
        }
        return new RetryPolicy(attempts, initial, max, multiplier, jitter, duration(m, "max_retry_after", d.maxRetryAfter(), true));
    }

    private BreakerPolicy breaker(Node n) {
        BreakerPolicy d = BreakerPolicy.defaults();
        if (n == null || isNull(n)) {
            return d;
        }
        Mapping m = mapping(n);
        allowOnly(m, Set.of("failure_rate_threshold", "sliding_window", "minimum_calls", "open_for"));
        double rate = number(m, "failure_rate_threshold", d.failureRateThreshold());
        if (rate <= 0 || rate > 100) {
            throw error(m.entries().get("failure_rate_threshold"), "must be a percentage in (0, 100], got " + rate);
        }
        return new BreakerPolicy((float) rate, integer(m, "sliding_window", d.slidingWindow(), 1),
                integer(m, "minimum_calls", d.minimumCalls(), 1), duration(m, "open_for", d.openFor(), false));
    }

    private Optional<String> secret(Mapping target) {
        if (target.entries().containsKey("signing_secret") && target.entries().containsKey("signing_secret_config")) {
            throw error(target, "set either signing_secret or signing_secret_config, not both");
        }
        if (target.entries().containsKey("signing_secret_config")) {
            Node keyNode = target.entries().get("signing_secret_config");
            String key = text(keyNode);
            return Optional.of(settings.apply(key).orElseThrow(() -> error(keyNode,
                    "names setting '" + key + "', which is not set (config file or "
                            + ChokepointConfig.environmentVariable(key) + ")")));
        }
        Optional<String> literal = optionalText(target, "signing_secret");
        if (literal.isPresent() && literal.get().length() < 16) {
            throw error(target.entries().get("signing_secret"), "must be at least 16 characters long");
        }
        return literal;
    }

    private List<LabelMatcher> matchers(Node n) {
        if (n == null || isNull(n)) {
            return List.of();
        }
        List<LabelMatcher> out = new ArrayList<>();
        for (Node item : check(() -> sequence(n).items(), List.<Node>of())) {
            check(() -> {
                LabelMatcher m;
                try {
                    m = LabelMatcher.parse(text(item));
                } catch (RoutingConfigException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw error(item, e.getMessage());
                }
                checkLabelName(item, m.name());
                out.add(m);
            });
        }
        return List.copyOf(out);
    }

    /** Label names of group_by or equal, each checked against the spellings that were renamed. */
    private List<String> labelNames(Node n) {
        List<String> names = strings(n);
        List<Node> items = n instanceof Sequence s ? s.items() : List.of(n);
        for (int i = 0; i < names.size(); i++) {
            Node item = items.get(i);
            String name = names.get(i);
            check(() -> checkLabelName(item, name));
        }
        return names;
    }

    private void checkLabelName(Node n, String name) {
        String renamed = AlertLabels.RENAMED.get(name);
        if (renamed != null) {
            throw error(n, "label '" + name + "' is spelt '" + renamed + "' (labels are snake_case, one spelling each)");
        }
        String gone = AlertLabels.NO_LONGER_LABELS.get(name);
        if (gone != null) {
            throw error(n, "'" + name + "' is not a label: " + gone);
        }
    }

    private URI url(Node n) {
        String text = text(n);
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw error(n, "must be an http:// or https:// URL with a host, got '" + redactUrl(text) + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw error(n, "is not a valid URL: " + e.getReason());
        }
    }

    private static String redactUrl(String url) {
        return url.replaceAll("//[^/@]+@", "//[redacted]@");
    }

    private Duration duration(Mapping m, String key, Duration fallback, boolean zeroAllowed) {
        Node n = m.entries().get(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        Duration d;
        try {
            d = ChokepointConfig.parseDuration(key, text(n));
        } catch (ChokepointConfig.ConfigProblem e) {
            throw error(n, "must be a duration such as 500ms, 30s, 5m or 4h, got '" + text(n) + "'");
        }
        if (d.isNegative() || !zeroAllowed && d.isZero()) {
            throw error(n, "must be " + (zeroAllowed ? "zero or positive" : "positive") + ", got '" + text(n) + "'");
        }
        return d;
    }

    private int integer(Mapping m, String key, int fallback, int min) {
        Node n = m.entries().get(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text(n).strip());
            if (v < min) {
                throw error(n, "must be at least " + min + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(n, "must be a whole number, got '" + text(n) + "'");
        }
    }

    private double number(Mapping m, String key, double fallback) {
        Node n = m.entries().get(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        try {
            return Double.parseDouble(text(n).strip());
        } catch (NumberFormatException e) {
            throw error(n, "must be a number, got '" + text(n) + "'");
        }
    }

    private boolean bool(Node n) {
        String t = text(n);
        return switch (t) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(n, "must be true or false, got '" + t + "'");
        };
    }

    private Optional<String> optionalText(Mapping m, String key) {
        Node n = m.entries().get(key);
        return n == null || isNull(n) ? Optional.empty() : Optional.of(text(n));
    }

    private List<String> strings(Node n) {
        if (n instanceof Scalar) {
            return List.of(text(n));
        }
        return sequence(n).items().stream().map(this::text).toList();
    }

    private String text(Node n) {
        if (n instanceof Scalar s && s.text() != null && !s.text().isBlank()) {
            return s.text();
        }
        throw error(n, n instanceof Scalar ? "must not be empty" : "must be a single value, not a list or mapping");
    }

    private Mapping mapping(Node n) {
        if (n instanceof Mapping m) {
            return m;
        }
        throw error(n, "must be a mapping (key: value lines)");
    }

    private Sequence sequence(Node n) {
        if (n instanceof Sequence s) {
            return s;
        }
        throw error(n, "must be a list");
    }

    private Node required(Mapping m, String key) {
        Node n = m.entries().get(key);
        if (n == null || isNull(n)) {
            throw new RoutingConfigException(file, n == null ? m.line() : n.line(), YamlTree.join(m.path(), key), "is required");
        }
        return n;
    }

    private void allowOnly(Mapping m, Set<String> allowed) {
        m.entries().keySet().forEach(k -> {
            if (!allowed.contains(k)) {
                problems.add(new RoutingConfigException(file, m.keyLines().get(k), YamlTree.join(m.path(), k),
                        "unknown field; expected one of " + new java.util.TreeSet<>(allowed)));
            }
        });
    }

    private static boolean isNull(Node n) {
        return n instanceof Scalar s && s.text() == null;
    }

    private RoutingConfigException error(Node n, String reason) {
        return new RoutingConfigException(file, n.line(), n.path(), reason);
    }

    private RoutingConfigException error(Node n, String field, String reason) {
        return new RoutingConfigException(file, n.line(), field, reason);
    }
}
