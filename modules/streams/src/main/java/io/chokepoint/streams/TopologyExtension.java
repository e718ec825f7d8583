package io.chokepoint.streams;

import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.streams.Topology;

/**
 * More processing hosted by the same Kafka Streams application as the delay aggregation — rule
 * evaluation, which lives in a module that depends on this one. Added after
 * {@link DelayAggregation#build}, before the application starts.
 */
@FunctionalInterface
public interface TopologyExtension {

    void addTo(Topology topology, ChokepointConfig config);
}
