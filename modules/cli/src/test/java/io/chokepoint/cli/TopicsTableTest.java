package io.chokepoint.cli;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The table {@code topics create} prints: every column starts at the same place on every line. */
class TopicsTableTest {

    @Test
    void columnsLineUpWhateverTheLongestNameOrRole() {
        Topics topics = ChokepointConfig.of(Map.of(ChokepointConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
                ChokepointConfig.TOPIC_PREFIX, "a-rather-long-staging-prefix-")).topics();
        Map<String, TopicProvisioner.Outcome> outcomes = new LinkedHashMap<>();
        topics.all().forEach(t -> outcomes.put(t.name(), TopicProvisioner.Outcome.CREATED));
        outcomes.put(topics.deadLetters().name(), TopicProvisioner.Outcome.ALREADY_PRESENT);
        StringWriter out = new StringWriter();

        TopicsCommand.Create.print(new PrintWriter(out), topics, new TopicProvisioner.Report(outcomes));

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(topics.all().size() + 1);
        int role = lines.get(0).indexOf("ROLE");
        int cleanup = lines.get(0).indexOf("CLEANUP");
        int retention = lines.get(0).indexOf("RETENTION");
        int status = lines.get(0).indexOf("STATUS");
        for (int i = 1; i < lines.size(); i++) {
            Topic<?, ?> topic = topics.all().get(i - 1);
            String line = lines.get(i);
            assertThat(line.indexOf(' ' + topic.role().name().toLowerCase() + ' ')).as(line).isEqualTo(role - 1);
            assertThat(line.indexOf(' ' + topic.cleanupPolicy().kafkaName() + ' ', role)).as(line).isEqualTo(cleanup - 1);
            assertThat(line.indexOf(' ' + topic.retention().toString() + ' ', cleanup)).as(line).isEqualTo(retention - 1);
            assertThat(line.substring(status)).as(line).isIn("created", "present, settings agree");
        }
        assertThat(lines).anyMatch(l -> l.contains(" dead_letter "));
    }
}
