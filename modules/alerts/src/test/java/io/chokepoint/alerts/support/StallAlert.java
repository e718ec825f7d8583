package io.chokepoint.alerts.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import io.chokepoint.devcluster.junit.DocExamples;
import io.chokepoint.events.commodity.CommodityCatalogue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's example alert, built from the shipped default rule. */
public final class StallAlert {

    /** The shipped default rules, for examples that show what they emit. */
    static final Path DEFAULT_RULES = Path.of("../rules/src/main/resources/io/chokepoint/rules/default-rules.yaml");

    public static final String RULE = "rare-earth-magnet-delay-p95";

    private StallAlert() {
    }

    /**
     * The FIRING the default rare-earth rule emits for permanent magnets during the stall: labels and
     * annotations as the rules module renders them, with the rule's own description and runbook and
     * the explanation the README shows (the rules module's README test checks that text).
     */
    public static DisruptionAlert firing() throws Exception {
        JsonNode rule = null;
        for (JsonNode r : new YAMLMapper().readTree(DEFAULT_RULES.toFile()).path("rules")) {
            if (r.path("id").asText().equals(RULE)) {
                rule = r;
            }
        }
        assertThat(rule).as(RULE + " in the default rules").isNotNull();
        CommodityCatalogue catalogue = CommodityCatalogue.defaultCatalogue();
        String hs = "850511";
        Instant episodeStart = Instant.parse("2025-04-16T14:00:00Z");
        Instant windowEnd = Instant.parse("2025-04-16T20:00:00Z");
        Map<String, String> labels = new TreeMap<>(Map.of("alertname", RULE, "hs_code", hs, "commodity", catalogue.nameOf(hs),
                "commodity_group", catalogue.groupOf(hs), "severity", rule.path("severity").asText()));
        rule.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return DisruptionAlert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes((RULE + "|" + hs + "|" + episodeStart.toEpochMilli()).getBytes(StandardCharsets.UTF_8)).toString())
                .setRuleId(RULE).setHsCode(hs).setCommodityName(catalogue.nameOf(hs)).setCommodityGroup(catalogue.groupOf(hs))
                .setState(AlertState.FIRING).setSeverity(Severity.valueOf(rule.path("severity").asText()))
                .setMetric("p95DelayHours").setObservedValue(126.83).setThreshold(72)
                .setWindowStart(windowEnd.minusSeconds(86_400)).setWindowEnd(windowEnd).setEpisodeStart(episodeStart).setEventAt(windowEnd)
                .setExplanation(DocExamples.paragraph("explanation"))
                .setLabels(new LinkedHashMap<>(labels))
                .setAnnotations(Map.of(
                        "summary", catalogue.nameOf(hs) + " (" + hs + "): p95 delay 126.83 h above 72 h",
                        "description", rule.path("description").asText(),
                        "runbook", rule.path("annotations").path("runbook").asText()))
                .build();
    }

}
