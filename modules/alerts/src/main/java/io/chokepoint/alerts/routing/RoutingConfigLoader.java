package io.chokepoint.alerts.routing;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.routing.ReceiverSpec.BreakerPolicy;
import io.chokepoint.alerts.routing.ReceiverSpec.RetryPolicy;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.yaml.InvalidYamlException;
import io.chokepoint.events.yaml.YamlNode;
import io.chokepoint.events.yaml.YamlNode.Mapping;
import io.chokepoint.events.yaml.YamlNode.Scalar;
import io.chokepoint.events.yaml.YamlNode.Sequence;
import io.chokepoint.events.yaml.YamlProblem;
import io.chokepoint.events.yaml.YamlTree;

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
import java.util.TreeSet;
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
    private final List<YamlProblem> problems = new ArrayList<>();

    private RoutingConfigLoader(String file, Function<String, Optional<String>> settings) {
        this.file = file;
        this.settings = settings;
    }

    public static RoutingConfig load(Path path, ChokepointConfig config) {
        String yaml;
        try {
            yaml = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RoutingConfigException(YamlProblem.ofFile(path.toString(), "file does not exist"));
        } catch (IOException e) {
            throw new RoutingConfigException(YamlProblem.ofFile(path.toString(), "cannot be read: " + e.getMessage()));
        }
        return parse(yaml, path.toString(), config::find);
    }

    public static RoutingConfig parse(String yaml, String file, Function<String, Optional<String>> settings) {
        RoutingConfigLoader loader = new RoutingConfigLoader(file, settings);
        RoutingConfig config;
        try {
            YamlNode root = YamlTree.parse(yaml, file, loader.problems).orElseGet(() -> emptyMapping(file));
            config = loader.read(root);
        } catch (InvalidYamlException e) {
            throw RoutingConfigException.of(e.problems());
        }
        if (!loader.problems.isEmpty()) {
            throw RoutingConfigException.of(loader.problems);
        }
        return config;
    }

    /** An empty file reads as an empty mapping, so its problems are the missing route and receivers. */
    private static YamlNode emptyMapping(String file) {
        return new Mapping(Map.of(), Map.of(), file, 1, 1, "");
    }

    /** Runs one independent check; a problem is recorded and {@code orElse} stands in for the value. */
    private <T> T check(Supplier<T> part, T orElse) {
        try {
            return part.get();
        } catch (InvalidYamlException e) {
            problems.addAll(e.problems());
            return orElse;
        }
    }

    private void check(Runnable part) {
        check(() -> {
            part.run();
            return null;
        }, null);
    }

    private RoutingConfig read(YamlNode rootNode) {
        Mapping root = rootNode.asMapping();
        allowOnly(root, Set.of("route", "receivers", "inhibit_rules"));
        Map<String, ReceiverSpec> receivers = new LinkedHashMap<>();
        Map<String, YamlNode> receiverNodes = new LinkedHashMap<>();
        Set<String> declared = new HashSet<>();
        List<YamlNode> receiverItems = check(() -> root.required("receivers").items(), List.of());
        for (YamlNode item : receiverItems) {
            // a receiver with problems is still declared, so routes naming it report only their own problems
            if (item instanceof Mapping m && m.entries().get("name") instanceof Scalar name && name.value() != null) {
                declared.add(name.text());
            }
            ReceiverSpec spec = check(() -> receiver(item.asMapping()), null);
            if (spec == null) {
                continue;
            }
            if (receivers.put(spec.name(), spec) != null) {
                problems.add(problem(item, YamlNode.join(item.path(), "name"), "receiver '" + spec.name() + "' is declared twice"));
            }
            receiverNodes.put(spec.name(), item);
        }
        receivers.forEach((name, spec) -> spec.fallback().ifPresent(fb -> {
            Mapping node = (Mapping) receiverNodes.get(name);
            if (!declared.contains(fb)) {
                problems.add(problem(node.entries().get("fallback"), "fallback receiver '" + fb + "' is not declared under receivers"));
            }
            if (fb.equals(name)) {
                problems.add(problem(node.entries().get("fallback"), "a receiver cannot be its own fallback"));
            }
        }));
        Route rootRoute = check(() -> {
            Mapping routeNode = root.required("route").asMapping();
            if (routeNode.entries().containsKey("matchers") || routeNode.entries().containsKey("continue")) {
                problems.add(problem(routeNode, "the root route takes every alert; put matchers and continue on its child routes"));
            }
            Route r = route(routeNode, "0", List.of(), List.of(AlertLabelsGroup.DEFAULT), DEFAULT_GROUP_WAIT,
                    DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, declared);
            if (r.receivers().isEmpty()) {
                problems.add(problem(routeNode, "the root route needs a receiver (it takes alerts no child route matches)"));
            }
            return r;
        }, null);
        List<InhibitRule> inhibitRules = new ArrayList<>();
        YamlNode inhibit = root.entries().get("inhibit_rules");
        if (inhibit != null && !isNull(inhibit)) {
            for (YamlNode item : check(() -> inhibit.items(), List.<YamlNode>of())) {
                InhibitRule rule = check(() -> inhibitRule(item.asMapping()), null);
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
            problems.add(problem(node, "set either receiver or receivers, not both"));
        }
        if (node.entries().containsKey("receiver")) {
            receivers = check(() -> List.of(node.entries().get("receiver").text()), parentReceivers);
        } else if (node.entries().containsKey("receivers")) {
            receivers = check(() -> strings(node.entries().get("receivers")), parentReceivers);
        }
        YamlNode receiverNode = node.entries().getOrDefault("receiver", node.entries().get("receivers"));
        for (String r : receivers) {
            if (!declared.contains(r) && receiverNode != null) {
                problems.add(problem(receiverNode, "receiver '" + r + "' is not declared under receivers"));
            }
        }
        List<LabelMatcher> matchers = matchers(node.entries().get("matchers"));
        boolean cont = node.entries().containsKey("continue") && check(() -> bool(node.entries().get("continue")), false);
        List<String> groupBy = node.entries().containsKey("group_by")
                ? check(() -> labelNames(node.entries().get("group_by")), parentGroupBy) : parentGroupBy;
        if (groupBy.contains(Route.GROUP_BY_ALL) && groupBy.size() > 1) {
            problems.add(problem(node.entries().get("group_by"), "'...' means all labels and must stand alone"));
        }
        Duration wait = check(() -> duration(node, "group_wait", parentWait, true), parentWait);
        Duration interval = check(() -> duration(node, "group_interval", parentInterval, false), parentInterval);
        Duration repeat = check(() -> duration(node, "repeat_interval", parentRepeat, false), parentRepeat);
        List<Route> children = new ArrayList<>();
        YamlNode routes = node.entries().get("routes");
        if (routes != null && !isNull(routes)) {
            List<YamlNode> items = check(() -> routes.items(), List.<YamlNode>of());
            List<String> inherited = receivers;
            for (int i = 0; i < items.size(); i++) {
                YamlNode item = items.get(i);
                String childId = id + "." + i;
                Route child = check(() -> route(item.asMapping(), childId, inherited, groupBy, wait, interval, repeat, declared), null);
                if (child != null) {
                    children.add(child);
                }
            }
        }
        return new Route(id, matchers, List.copyOf(receivers), cont, List.copyOf(groupBy), wait, interval, repeat, List.copyOf(children));
    }

    private InhibitRule inhibitRule(Mapping node) {
        allowOnly(node, Set.of("source_matchers", "target_matchers", "equal"));
        List<LabelMatcher> source = matchers(node.required("source_matchers"));
        List<LabelMatcher> target = matchers(node.required("target_matchers"));
        if (source.isEmpty() || target.isEmpty()) {
            throw error(node, "source_matchers and target_matchers must each hold at least one matcher");
        }
        List<String> equal = node.entries().containsKey("equal") ? labelNames(node.entries().get("equal")) : List.of();
        return new InhibitRule(source, target, equal);
    }

    private ReceiverSpec receiver(Mapping node) {
        allowOnly(node, Set.of("name", "webhook", "slack", "kafka", "json_lines", "console", "concurrency", "retry", "circuit_breaker", "fallback"));
        String name = node.required("name").text();
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw error(node.entries().get("name"), "receiver names use letters, digits, '.', '_' and '-' only, got '" + name + "'");
        }
        List<String> kinds = node.entries().keySet().stream()
                .filter(k -> Set.of("webhook", "slack", "kafka", "json_lines", "console").contains(k)).toList();
        if (kinds.size() != 1) {
            throw error(node, "receiver '" + name + "' needs exactly one of webhook, slack, kafka, json_lines, console; found "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
        }
        YamlNode kindNode = node.entries().get(kinds.get(0));
        // "console:" with nothing after it reads as null: it has no settings to give
        Mapping target = kinds.get(0).equals("console") && isNull(kindNode) ? null : kindNode.asMapping();
        ReceiverSpec.Target t = target == null ? new ReceiverSpec.Console() : switch (kinds.get(0)) {
            case "webhook" -> {
                allowOnly(target, Set.of("url", "signing_secret", "signing_secret_config", "connect_timeout", "read_timeout", "headers"));
                Map<String, String> headers = new TreeMap<>();
                YamlNode h = target.entries().get("headers");
                if (h != null && !isNull(h)) {
                    h.asMapping().entries().forEach((k, v) -> headers.put(k, v.text()));
                }
                yield new ReceiverSpec.Webhook(url(target.required("url")), secret(target),
                        duration(target, "connect_timeout", DEFAULT_CONNECT_TIMEOUT, false),
                        duration(target, "read_timeout", DEFAULT_READ_TIMEOUT, false), Map.copyOf(headers));
            }
            case "slack" -> {
                allowOnly(target, Set.of("url", "channel", "username", "signing_secret", "signing_secret_config",
                        "connect_timeout", "read_timeout"));
                yield new ReceiverSpec.Slack(url(target.required("url")), optionalText(target, "channel"),
                        optionalText(target, "username"), secret(target),
                        duration(target, "connect_timeout", DEFAULT_CONNECT_TIMEOUT, false),
                        duration(target, "read_timeout", DEFAULT_READ_TIMEOUT, false));
            }
            case "kafka" -> {
                allowOnly(target, Set.of("topic"));
                String topic = target.required("topic").text();
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
                yield new ReceiverSpec.JsonLines(target.required("path").text(),
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

    private RetryPolicy retry(YamlNode n) {
        RetryPolicy d = RetryPolicy.defaults();
        if (n == null || isNull(n)) {
            return d;
        }
        Mapping m = n.asMapping();
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

    private BreakerPolicy breaker(YamlNode n) {
        BreakerPolicy d = BreakerPolicy.defaults();
        if (n == null || isNull(n)) {
            return d;
        }
        Mapping m = n.asMapping();
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
            YamlNode keyNode = target.entries().get("signing_secret_config");
            String key = keyNode.text();
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

    private List<LabelMatcher> matchers(YamlNode n) {
        if (n == null || isNull(n)) {
            return List.of();
        }
        List<LabelMatcher> out = new ArrayList<>();
        for (YamlNode item : check(() -> n.items(), List.<YamlNode>of())) {
            check(() -> {
                LabelMatcher m;
                try {
                    m = LabelMatcher.parse(item.text());
                } catch (InvalidYamlException e) {
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
    private List<String> labelNames(YamlNode n) {
        List<String> names = strings(n);
        List<YamlNode> items = n instanceof Sequence s ? s.items() : List.of(n);
        for (int i = 0; i < names.size(); i++) {
            YamlNode item = items.get(i);
            String name = names.get(i);
            check(() -> checkLabelName(item, name));
        }
        return names;
    }

    private void checkLabelName(YamlNode n, String name) {
        String renamed = AlertLabels.RENAMED.get(name);
        if (renamed != null) {
            throw error(n, "label '" + name + "' is spelt '" + renamed + "' (labels are snake_case, one spelling each)");
        }
        String gone = AlertLabels.NO_LONGER_LABELS.get(name);
        if (gone != null) {
            throw error(n, "'" + name + "' is not a label: " + gone);
        }
    }

    private URI url(YamlNode n) {
        String text = n.text();
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
        YamlNode n = m.entries().get(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        Duration d;
        try {
            d = ChokepointConfig.parseDuration(key, n.text());
        } catch (ChokepointConfig.ConfigProblem e) {
            throw error(n, "must be a duration such as 500ms, 30s, 5m or 4h, got '" + n.text() + "'");
        }
        if (d.isNegative() || !zeroAllowed && d.isZero()) {
            throw error(n, "must be " + (zeroAllowed ? "zero or positive" : "positive") + ", got '" + n.text() + "'");
        }
        return d;
    }

    private int integer(Mapping m, String key, int fallback, int min) {
        YamlNode n = m.entries().get(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(n.text().strip());
            if (v < min) {
                throw error(n, "must be at least " + min + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(n, "must be a whole number, got '" + n.text() + "'");
        }
    }

    private double number(Mapping m, String key, double fallback) {
        YamlNode n = m.entries().get(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        try {
            return Double.parseDouble(n.text().strip());
        } catch (NumberFormatException e) {
            throw error(n, "must be a number, got '" + n.text() + "'");
        }
    }

    private boolean bool(YamlNode n) {
        String t = n.text();
        return switch (t) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(n, "must be true or false, got '" + t + "'");
        };
    }

    private Optional<String> optionalText(Mapping m, String key) {
        YamlNode n = m.entries().get(key);
        return n == null || isNull(n) ? Optional.empty() : Optional.of(n.text());
    }

    private List<String> strings(YamlNode n) {
        if (n instanceof Scalar) {
            return List.of(n.text());
        }
        return n.items().stream().map(YamlNode::text).toList();
    }

    private void allowOnly(Mapping m, Set<String> allowed) {
        problems.addAll(m.unknownFields(new TreeSet<>(allowed)));
    }

    private static boolean isNull(YamlNode n) {
        return n instanceof Scalar s && s.isNull();
    }

    private static RoutingConfigException error(YamlNode n, String reason) {
        return new RoutingConfigException(n.problem(reason));
    }

    private static YamlProblem problem(YamlNode n, String reason) {
        return n.problem(reason);
    }

    private static YamlProblem problem(YamlNode n, String field, String reason) {
        return n.problem(field, reason);
    }
}
