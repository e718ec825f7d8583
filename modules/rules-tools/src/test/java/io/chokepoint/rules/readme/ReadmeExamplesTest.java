package io.chokepoint.rules.readme;

import io.chokepoint.devcluster.junit.DocExamples;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.evaluation.AlertFactory;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.evaluation.StatsSnapshot;
import io.chokepoint.rules.evaluation.Transition;
import io.chokepoint.rules.model.Rule;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.testing.RuleTestFile;
import io.chokepoint.rules.testing.RuleTestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation's rule examples, run against the code so they cannot drift: each example is the
 * block after a {@code <!-- example: NAME -->} marker, in the README or in one of the pages under
 * {@code docs/} it links to.
 */
class ReadmeExamplesTest {

    @Test
    void the_rule_file_example_is_a_valid_rule_file() throws Exception {
        List<Rule> rules = new RuleParser().parse(DocExamples.example("rule-file"), "README.md");
        assertThat(rules).extracting(Rule::id).containsExactly("rare-earth-magnet-delay-p95");
    }

    @Test
    void the_rules_test_example_passes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("magnets.test.yaml");
        Files.writeString(file, DocExamples.example("rules-test"));
        List<RuleTestRunner.Outcome> outcomes = new RuleTestRunner(RuleSettings.defaults()).run(RuleTestFile.parse(Files.readString(file), file));
        assertThat(outcomes).hasSize(1).allSatisfy(o -> assertThat(o.diff()).as(o.test()).isEmpty());
    }

    @Test
    void the_explanation_example_is_what_the_default_rule_writes() throws Exception {
        String quoted = DocExamples.example("explanation").lines().map(l -> l.replaceFirst("^\\s*> ?", "")).reduce((a, b) -> a + " " + b).orElseThrow();
        Rule rule = RuleSet.defaults().find("rare-earth-magnet-delay-p95").orElseThrow();
        long windowEnd = Instant.parse("2025-04-16T20:00:00Z").toEpochMilli();
        StatsSnapshot stats = new StatsSnapshot("850511", windowEnd - 86_400_000L, windowEnd, true, 36, 145.0, 125.0,
                Instant.parse("2025-04-09T13:00:00Z").toEpochMilli(), 1, 1, 1.0, 0, 6,
                Instant.parse("2025-04-16T08:00:00Z").toEpochMilli(), List.of("CN-US"), Map.of("p95DelayHours", 126.83), null);
        Transition firing = new Transition(AlertState.FIRING, "id", Instant.parse("2025-04-16T14:00:00Z").toEpochMilli(), 126.83, 72,
                windowEnd, null);
        DisruptionAlert alert = new AlertFactory(CommodityCatalogue.defaultCatalogue()).create(rule, firing, stats, windowEnd);
        assertThat(quoted).isEqualTo(alert.getExplanation());
    }

    @Test
    void the_documented_change_rule_is_the_shipped_one() {
        Rule documented = new RuleParser().parse(DocExamples.example("change-rule"), "docs/rules.md").get(0);
        Rule shipped = RuleSet.defaults().find(documented.id()).orElseThrow();
        assertThat(documented.change()).isEqualTo(shipped.change());
        assertThat(documented.selector()).isEqualTo(shipped.selector());
        assertThat(documented.metric()).isEqualTo(shipped.metric());
    }

    @Test
    void every_default_rule_has_a_real_runbook_and_the_readme_shows_it() throws Exception {
        Map<String, String> readme = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^- \\*\\*`([a-z0-9.-]+)`\\*\\* — (.+)$", Pattern.MULTILINE).matcher(DocExamples.example("runbooks"));
        while (m.find()) {
            readme.put(m.group(1), m.group(2));
        }
        Map<String, String> shipped = new LinkedHashMap<>();
        for (Rule r : RuleSet.defaults().all()) {
            shipped.put(r.id(), r.annotations().get("runbook").render(k -> null, Map.of(), f -> null));
            assertThat(r.description()).as(r.id() + " description").isNotBlank();
            assertThat(r.annotations().keySet()).as(r.id()).doesNotContain("runbook_url");
        }
        assertThat(readme).isEqualTo(shipped);
        try (var shippedFile = RuleSet.class.getResourceAsStream(RuleSet.DEFAULT_RESOURCE)) {
            assertThat(new String(shippedFile.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("example.com");
        }
    }
}
