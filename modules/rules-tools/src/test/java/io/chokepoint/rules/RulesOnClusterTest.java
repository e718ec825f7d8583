package io.chokepoint.rules;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.rules.command.RulesApplyCommand;
import io.chokepoint.rules.command.RulesCommand;
import io.chokepoint.rules.evaluation.AlertIds;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.evaluation.RuleTopology;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.support.Stats;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On the real broker and registry: rules published with {@code chokepoint rules apply} take effect
 * in a running application, an episode that fired before a restart resolves after it with the
 * same id, and a rule deleted with {@code apply --delete} resolves its firing alert.
 */
@ExtendWith(DevClusterExtension.class)
class RulesOnClusterTest {

    private static final String MAGNETS = "850511";

    @Test
    void apply_restart_and_delete(DevCluster cluster, @TempDir Path dir) throws Exception {
        ChokepointConfig config = withTopics(cluster, Map.of(RuleSettings.RECONCILE_INTERVAL, "500ms"));
        Topics topics = config.topics();
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - id: magnets
                    select: {hs_codes: ["850511"]}
                    metric: p95DelayHours
                    comparison: ">"
                    fire: 72
                    resolve: 48
                    severity: CRITICAL
                """);

        try (KafkaConsumer<String, DisruptionAlert> alerts = consumer(config, topics);
             KafkaProducer<String, CommodityDelayStats> stats = new KafkaProducer<>(config.kafkaClientProperties(),
                     new StringSerializer(), topics.commodityDelayStats().valueSerde().serializer())) {
            List<DisruptionAlert> received = new ArrayList<>();
            KafkaStreams app = start(config, topics, dir);
            try {
                assertThat(run(config, "apply", rules.toString())).isZero();
                send(stats, topics, Stats.p95(MAGNETS, 1, 90));
                awaitAlerts(alerts, received, 1);
            } finally {
                app.close(Duration.ofSeconds(30));
            }
            DisruptionAlert firing = received.get(0);
            assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
            assertThat(firing.getAlertId()).isEqualTo(AlertIds.of("magnets", MAGNETS, Stats.T0.plusSeconds(3600).toEpochMilli()));

            // restart on the same state directory: the open episode comes back from the store
            app = start(config, topics, dir);
            try {
                send(stats, topics, Stats.p95(MAGNETS, 2, 40));
                awaitAlerts(alerts, received, 2);
                assertThat(received.get(1).getState()).isEqualTo(AlertState.RESOLVED);
                assertThat(received.get(1).getAlertId()).isEqualTo(firing.getAlertId());

                send(stats, topics, Stats.p95(MAGNETS, 3, 95));
                awaitAlerts(alerts, received, 3);
                assertThat(run(config, "apply", "--delete", "magnets")).isZero();
                awaitAlerts(alerts, received, 4);
                assertThat(received.get(3).getState()).isEqualTo(AlertState.RESOLVED);
                assertThat(received.get(3).getAlertId()).isEqualTo(received.get(2).getAlertId());
                assertThat(received.get(3).getExplanation()).startsWith("resolved because the rule was deleted");
            } finally {
                app.close(Duration.ofSeconds(30));
            }
        }
    }

    /**
     * A change rule's detector learns ten days of a commodity's p95, the instance stops and comes
     * back on an empty state directory: the detector is restored from its changelog, so a shift
     * right after the restart fires at the same hour as without the restart (a lost baseline would
     * need seven days of warm-up first).
     */
    @Test
    void a_change_rule_keeps_its_detector_across_a_restart_on_an_empty_state_directory(DevCluster cluster, @TempDir Path dir)
            throws Exception {
        ChokepointConfig config = withTopics(cluster, Map.of());
        Topics topics = config.topics();
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - id: magnets-shift
                    kind: change
                    select: {hs_codes: ["850511"]}
                    metric: p95DelayHours
                    change: {min_spread: 4}
                """);
        int learned = 10 * 24;
        java.util.function.IntToDoubleFunction p95 = hour -> hour <= learned ? 8 + hour % 3 : 40;
        int expectedFiring = firstChangeAlarm(RuleSet.load(List.of(rules), new io.chokepoint.rules.model.RuleParser()), p95, learned + 48);
        assertThat(expectedFiring).as("the shift fires within two days without a restart").isGreaterThan(learned);

        try (KafkaConsumer<String, DisruptionAlert> alerts = consumer(config, topics);
             KafkaProducer<String, CommodityDelayStats> stats = new KafkaProducer<>(config.kafkaClientProperties(),
                     new StringSerializer(), topics.commodityDelayStats().valueSerde().serializer())) {
            KafkaStreams app = start(config, topics, dir.resolve("first"));
            try {
                assertThat(run(config, "apply", rules.toString())).isZero();
                for (int hour = 1; hour <= learned; hour++) {
                    send(stats, topics, Stats.p95(MAGNETS, hour, p95.applyAsDouble(hour)));
                }
                KafkaStreams running = app;
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    var store = running.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(RuleTopology.DETECTORS_STORE,
                            org.apache.kafka.streams.state.QueryableStoreTypes.<String, io.chokepoint.rules.evaluation.DetectorState>keyValueStore()));
                    var state = store.get(MAGNETS + "|magnets-shift");
                    return state != null && state.baseline().length == learned;
                });
            } finally {
                app.close(Duration.ofSeconds(30));
            }
            app = start(config, topics, dir.resolve("second")); // nothing on disk: restored from the changelog
            try {
                List<DisruptionAlert> received = new ArrayList<>();
                for (int hour = learned + 1; hour <= expectedFiring; hour++) {
                    send(stats, topics, Stats.p95(MAGNETS, hour, p95.applyAsDouble(hour)));
                }
                awaitAlerts(alerts, received, 1);
                DisruptionAlert firing = received.get(0);
                assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
                assertThat(firing.getEventAt()).isEqualTo(Stats.T0.plus(Duration.ofHours(expectedFiring)));
                assertThat(firing.getObservedValue()).isEqualTo(40);
                assertThat(firing.getThreshold()).as("the baseline median").isEqualTo(9);
                assertThat(firing.getExplanation()).startsWith("p95DelayHours shifted up: 40 against a baseline of 9")
                        .contains("the change began about " + Stats.T0.plus(Duration.ofHours(learned + 1)).toString()
                                .replace(":00Z", "Z"));
            } finally {
                app.close(Duration.ofSeconds(30));
            }
        }
    }

    /** The hour the rule's change alert fires for this series, replayed in-process without a restart. */
    private static int firstChangeAlarm(RuleSet rules, java.util.function.IntToDoubleFunction p95, int hours) {
        try (io.chokepoint.rules.offline.Replay replay = io.chokepoint.rules.offline.Replay.ofRules(rules, RuleSettings.defaults())) {
            for (int hour = 1; hour <= hours; hour++) {
                replay.pipeStats(Stats.p95(MAGNETS, hour, p95.applyAsDouble(hour)));
                if (!replay.drainAlerts().isEmpty()) {
                    return hour;
                }
            }
        }
        return -1;
    }

    /** The cluster's configuration under a topic prefix of its own, with every topic created. */
    private static ChokepointConfig withTopics(DevCluster cluster, Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("topic.prefix", "t" + UUID.randomUUID().toString().substring(0, 8) + "-");
        ChokepointConfig config = cluster.config().with(all);
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, config.topics(), (short) 1).ensureAll();
        }
        return config;
    }

    private static int run(ChokepointConfig config, String... args) {
        CommandLine cli = new CommandLine(new RulesCommand());
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        // the CLI hands the global configuration to the leaf command through its public field
        ((RulesApplyCommand) parsed.subcommand().commandSpec().userObject()).config = config;
        return cli.execute(args);
    }

    private static KafkaStreams start(ChokepointConfig config, Topics topics, Path dir) {
        Properties props = config.kafkaClientProperties();
        props.putAll(config.registryProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get("topic.prefix") + "rules");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // Streams does not leave the group on close: let the broker drop the stopped member quickly
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        KafkaStreams app = new KafkaStreams(RuleTopology.build(topics, RuleSet.empty(), RuleSettings.from(config),
                CommodityCatalogue.defaultCatalogue()), props);
        app.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
        return app;
    }

    private static void send(KafkaProducer<String, CommodityDelayStats> producer, Topics topics, CommodityDelayStats s) throws Exception {
        producer.send(new ProducerRecord<>(topics.commodityDelayCurrent().name(), null, Stats.timestampOf(s), s.getHsCode(), s)).get();
    }

    private static KafkaConsumer<String, DisruptionAlert> consumer(ChokepointConfig config, Topics topics) {
        Properties props = config.kafkaClientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, DisruptionAlert> c = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.disruptionAlerts().valueSerde().deserializer());
        c.subscribe(List.of(topics.disruptionAlerts().name()));
        return c;
    }

    private static void awaitAlerts(KafkaConsumer<String, DisruptionAlert> consumer, List<DisruptionAlert> received, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
            return received.size() >= count;
        });
        assertThat(received).hasSize(count);
    }
}
