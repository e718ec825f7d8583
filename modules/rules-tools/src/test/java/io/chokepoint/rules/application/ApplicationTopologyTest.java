package io.chokepoint.rules.application;

import io.chokepoint.events.Topics;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.evaluation.RuleTopology;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.offline.OfflineTopics;
import io.chokepoint.streams.DelayAggregation;
import io.chokepoint.streams.StreamsSettings;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's topology as {@code chokepoint streams} wires it: the delay aggregation, then
 * the rules. The finals topic has one reader, shared by the window history and the rules (a topic
 * may have only one source per topology); offline replays keep no history, so the rules read the
 * finals through a source of their own.
 */
class ApplicationTopologyTest {

    private final Topics topics = OfflineTopics.create();

    @Test
    void theWindowHistoryAndTheRulesShareTheFinalsSource() {
        Topology topology = DelayAggregation.build(StreamsSettings.defaults(), topics);
        RuleTopology.addTo(topology, topics, RuleSet.defaults(), RuleSettings.defaults(), CommodityCatalogue.defaultCatalogue());

        List<TopologyDescription.Source> readers = sourcesOf(topology, topics.commodityDelayStats().name());
        assertThat(readers).singleElement().satisfies(source -> {
            assertThat(source.name()).isEqualTo(DelayAggregation.FINALS_SOURCE);
            assertThat(source.successors()).extracting(TopologyDescription.Node::name)
                    .containsExactlyInAnyOrder(DelayAggregation.FINALS_HISTORY, RuleTopology.PROCESSOR);
        });
    }

    @Test
    void offlineTheRulesReadTheFinalsThemselves() {
        Topology topology = DelayAggregation.build(StreamsSettings.defaults(), topics, true);
        RuleTopology.addTo(topology, topics, RuleSet.defaults(), RuleSettings.defaults(), CommodityCatalogue.defaultCatalogue(), true);

        assertThat(sourcesOf(topology, topics.commodityDelayStats().name())).singleElement().satisfies(source -> {
            assertThat(source.name()).isEqualTo(RuleTopology.STATS_SOURCE);
            assertThat(source.successors()).extracting(TopologyDescription.Node::name).containsExactly(RuleTopology.PROCESSOR);
        });
    }

    private static List<TopologyDescription.Source> sourcesOf(Topology topology, String topic) {
        return topology.describe().subtopologies().stream()
                .flatMap(sub -> sub.nodes().stream())
                .filter(node -> node instanceof TopologyDescription.Source s && s.topicSet() != null && s.topicSet().contains(topic))
                .map(TopologyDescription.Source.class::cast)
                .toList();
    }
}
