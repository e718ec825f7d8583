package io.chokepoint.events.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChokepointConfigTest {

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chokepoint.yaml");
        Files.writeString(file, """
                bootstrap.servers: file:9092
                topic:
                  prefix: prod-
                  partitions: 12
                streams:
                  window:
                    size: 24h
                """);

        ChokepointConfig config = ChokepointConfig.load(Optional.of(file),
                Map.of("CHOKEPOINT_TOPIC_PREFIX", "env-", "CHOKEPOINT_BOOTSTRAP_SERVERS", "env:9092", "PATH", "/bin"),
                Map.of("bootstrap.servers", "flag:9092"));

        assertThat(config.get("bootstrap.servers")).isEqualTo("flag:9092");
        assertThat(config.get("topic.prefix")).isEqualTo("env-");
        assertThat(config.getInt("topic.partitions", 6)).isEqualTo(12);
        assertThat(config.getDuration("streams.window.size", Duration.ZERO)).isEqualTo(Duration.ofHours(24));
        assertThat(config.find("path")).isEmpty();
        assertThat(config.sources()).containsEntry("topic.partitions", ChokepointConfig.Source.FILE)
                .containsEntry("topic.prefix", ChokepointConfig.Source.ENVIRONMENT)
                .containsEntry("bootstrap.servers", ChokepointConfig.Source.FLAG);
    }

    @Test
    void kafkaPropertiesPassThroughUnderTheirPrefix() {
        ChokepointConfig config = ChokepointConfig.of(Map.of(
                "bootstrap.servers", "b:9092",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
                "schema.registry.url", "https://sr:8081",
                "basic.auth.user.info", "user:secret"));

        assertThat(config.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "b:9092").containsKey("sasl.jaas.config");
        assertThat(config.registryProperties()).containsEntry("basic.auth.user.info", "user:secret")
                .doesNotContainKey("kafka.security.protocol");
    }

    @Test
    void secretsAreRedactedForDisplay() {
        ChokepointConfig config = ChokepointConfig.of(Map.of(
                "kafka.sasl.jaas.config", "... password=\"p\";",
                "kafka.ssl.truststore.password", "changeit",
                "basic.auth.user.info", "user:secret",
                "alerts.webhook.signing.key", "k3y",
                "schema.registry.url", "https://user:pw@sr:8081",
                "topic.prefix", "prod-"));

        assertThat(config.redacted())
                .containsEntry("kafka.sasl.jaas.config", "[redacted]")
                .containsEntry("kafka.ssl.truststore.password", "[redacted]")
                .containsEntry("basic.auth.user.info", "[redacted]")
                .containsEntry("alerts.webhook.signing.key", "[redacted]")
                .containsEntry("schema.registry.url", "https://[redacted]@sr:8081")
                .containsEntry("topic.prefix", "prod-");
    }

    @Test
    void malformedValuesNameTheKey() {
        ChokepointConfig config = ChokepointConfig.of(Map.of("streams.window.size", "a day", "topic.partitions", "six"));

        assertThatThrownBy(() -> config.getDuration("streams.window.size", Duration.ZERO))
                .hasMessageContaining("'streams.window.size'").hasMessageContaining("24h");
        assertThatThrownBy(() -> config.getInt("topic.partitions", 6)).hasMessageContaining("'topic.partitions'");
        assertThatThrownBy(() -> config.get("bootstrap.servers")).hasMessageContaining("CHOKEPOINT_BOOTSTRAP_SERVERS");
    }

    @Test
    void aMissingConfigFileIsOneClearSentence(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> ChokepointConfig.load(Optional.of(missing), Map.of(), Map.of()))
                .isInstanceOf(ChokepointConfig.ConfigProblem.class)
                .hasMessage("config file " + missing + ": does not exist");
        Path missingYaml = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ChokepointConfig.load(Optional.of(missingYaml), Map.of(), Map.of()))
                .hasMessage("config file " + missingYaml + ": does not exist");
    }

    @Test
    void badYamlNamesTheFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chokepoint.yaml");
        Files.writeString(file, "topic:\n  prefix: staging-\n  partitions: [6\nbootstrap.servers: k:9092\n");
        assertThatThrownBy(() -> ChokepointConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ChokepointConfig.ConfigProblem.class)
                .hasMessageStartingWith("config file " + file + ": line 4, column ")
                .hasMessageContaining("expected ',' or ']'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aYamlListOrADirectoryIsNotAConfigFile(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("list.yaml");
        Files.writeString(list, "- a\n- b\n");
        assertThatThrownBy(() -> ChokepointConfig.load(Optional.of(list), Map.of(), Map.of()))
                .hasMessage("config file " + list + ": must be a mapping of settings (key: value), not a list");
        assertThatThrownBy(() -> ChokepointConfig.load(Optional.of(dir), Map.of(), Map.of()))
                .hasMessage("config file " + dir + ": is a directory, not a .properties or .yaml file");
    }

    @Test
    void durationsInEveryNotation() {
        assertThat(ChokepointConfig.parseDuration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ChokepointConfig.parseDuration("k", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ChokepointConfig.parseDuration("k", "PT90M")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void everyKeyHasAnEnvironmentNameAShellCanExportDashesIncluded() {
        ChokepointConfig config = ChokepointConfig.load(Optional.empty(),
                Map.of("CHOKEPOINT_STREAMS_SCHEDULE_CUSTOMS__HOLD", "5d",
                        "CHOKEPOINT_DASHBOARD_POLICY__EVENTS_KEPT", "10",
                        "CHOKEPOINT_DASHBOARD_STREAM_MAX-CLIENTS", "7"),
                Map.of());

        assertThat(config.get("streams.schedule.customs-hold")).isEqualTo("5d");
        assertThat(config.get("dashboard.policy-events.kept")).isEqualTo("10");
        assertThat(config.get("dashboard.stream.max-clients")).as("the literal-dash spelling still works").isEqualTo("7");
        for (String key : List.of("streams.schedule.customs-hold", "dashboard.alerts.resolved-kept", "kafka.sasl.jaas.config", "topic.prefix")) {
            String variable = ChokepointConfig.environmentVariable(key);
            assertThat(variable).as(key).matches("[A-Z][A-Z0-9_]*");
            assertThat(ChokepointConfig.environmentKey(variable)).isEqualTo(key);
        }
    }
}
