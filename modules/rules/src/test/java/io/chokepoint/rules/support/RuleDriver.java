package io.chokepoint.rules.support;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.evaluation.RuleTopology;
import io.chokepoint.rules.model.RuleParser;
import io.chokepoint.rules.model.RuleSet;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The rule topology in a {@link TopologyTestDriver}, with the real schema registry of the shared
 * dev cluster behind the Avro serdes and its own topic prefix.
 */
public final class RuleDriver implements AutoCloseable {

    public final TopologyTestDriver driver;
    public final TestInputTopic<String, CommodityDelayStats> stats;
    public final TestInputTopic<String, CommodityDelayStats> live;
    public final TestInputTopic<String, String> rules;
    public final TestOutputTopic<String, DisruptionAlert> alerts;

    public RuleDriver(DevCluster cluster, String fileRulesYaml, RuleSettings settings) {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Topics topics = cluster.config().with(Map.of("topic.prefix", prefix)).topics();
        RuleSet fileRules = fileRulesYaml == null ? RuleSet.empty()
                : RuleSet.of(new RuleParser().parse(fileRulesYaml, "file-rules.yaml"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "rules");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/rules-ttd-" + prefix);
        driver = new TopologyTestDriver(RuleTopology.build(topics, fileRules, settings, CommodityCatalogue.defaultCatalogue()),
                props, Instant.parse("2030-01-01T00:00:00Z"));
        stats = driver.createInputTopic(topics.commodityDelayStats().name(), new StringSerializer(),
                topics.commodityDelayStats().valueSerde().serializer());
        live = driver.createInputTopic(topics.commodityDelayCurrent().name(), new StringSerializer(),
                topics.commodityDelayCurrent().valueSerde().serializer());
        rules = driver.createInputTopic(topics.alertRules().name(), new StringSerializer(), new StringSerializer());
        alerts = driver.createOutputTopic(topics.disruptionAlerts().name(), new StringDeserializer(),
                topics.disruptionAlerts().valueSerde().deserializer());
    }

    public RuleDriver(DevCluster cluster, String fileRulesYaml) {
        this(cluster, fileRulesYaml, RuleSettings.defaults());
    }

    public void pipe(CommodityDelayStats s) {
        (s.getIsFinal() ? stats : live).pipeInput(s.getHsCode(), s, Stats.timestampOf(s));
    }

    public void wallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    public List<DisruptionAlert> alerts() {
        return alerts.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
