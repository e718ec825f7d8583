package io.chokepoint.rules.evaluation;

import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleFileException;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules in force: the rule files loaded at start, overlaid by the {@code alert-rules} topic
 * (a topic entry replaces the file rule of the same id; a tombstone removes the topic entry). The
 * topic is read through a global store, so every instance sees every rule and a change applies
 * without a restart. Parsed rules are cached by their text, so a record costs a store scan of a
 * few entries, not a YAML parse.
 */
public final class RuleBook {

    private static final Logger LOG = LoggerFactory.getLogger(RuleBook.class);

    private record Parsed(String text, Rule rule) {
    }

    private final RuleSet fileRules;
    private final RuleParser parser;
    private final ReadOnlyKeyValueStore<String, String> topicRules;
    private final String topicName;
    private final Map<String, Parsed> cache = new HashMap<>();

    public RuleBook(RuleSet fileRules, RuleParser parser, ReadOnlyKeyValueStore<String, String> topicRules, String topicName) {
        this.fileRules = fileRules;
        this.parser = parser;
        this.topicRules = topicRules;
        this.topicName = topicName;
    }

    /** Rules by id, in force now. Invalid topic entries are skipped (and logged once per version). */
    public Map<String, Rule> current() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        fileRules.all().forEach(r -> rules.put(r.id(), r));
        try (KeyValueIterator<String, String> it = topicRules.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                Rule rule = parse(entry.key, entry.value);
                if (rule != null) {
                    rules.put(rule.id(), rule);
                }
            }
        }
        return rules;
    }

    private Rule parse(String id, String text) {
        Parsed cached = cache.get(id);
        if (cached != null && cached.text().equals(text)) {
            return cached.rule();
        }
        Rule rule = null;
        String origin = "topic " + topicName + " key " + id;
        try {
            rule = parser.parseOne(text, origin);
            if (!rule.id().equals(id)) {
                LOG.error("{}: the rule's id '{}' differs from the record key; ignored", origin, rule.id());
                rule = null;
            }
        } catch (RuleFileException e) {
            // 'chokepoint rules apply' validates before publishing; this is a hand-written record
            LOG.error("invalid rule ignored:\n{}", e.getMessage());
        }
        cache.put(id, new Parsed(text, rule));
        return rule;
    }
}
