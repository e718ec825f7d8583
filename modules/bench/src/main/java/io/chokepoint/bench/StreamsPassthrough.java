package io.chokepoint.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * B run by Kafka Streams: the same bytes copied from the milestones to another topic, no state,
 * under the topology's own settings (exactly-once, commit interval, record cache). What Kafka
 * Streams itself costs per record — polling, transactions, commits — for a task of one input topic
 * without state, before any of the topology's work.
 */
final class StreamsPassthrough {

    private StreamsPassthrough() {
    }

    static Topology build(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }
}
