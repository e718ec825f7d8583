package io.chokepoint.streams;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.dlq.DeadLetterCounter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static io.chokepoint.streams.TopologyFixture.at;
import static io.chokepoint.streams.TopologyFixture.finals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Poison pills go to the dead-letter topic with their context; a registry outage stops the app. */
@ExtendWith(DevClusterExtension.class)
class DeadLetterTest {

    private static final String MAGNETS = "850511";

    private DevCluster cluster;
    private TopologyFixture fixture;

    @BeforeEach
    void start(DevCluster devCluster) {
        cluster = devCluster;
        StreamsSettings settings = StreamsSettings.defaults()
                .withWindows(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO).withEmitInterval(Duration.ZERO);
        fixture = new TopologyFixture(devCluster, settings);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /**
     * Under exactly-once, as it ships: the record reaches the shipment tracker, which rejects it, so
     * its dead letter is written in the transaction that commits its offset (a dead letter written
     * when the record is fetched could be committed twice across a restart).
     */
    @Test
    void unreadableRecordGoesToTheDeadLetterTopicWithItsContextAndProcessingGoesOn() {
        TopologyFixture f = fixture;
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        f.rawMilestones.pipeInput(new TestRecord<>(MAGNETS, garbage, new org.apache.kafka.common.header.internals.RecordHeaders()
                .add("trace-id", "abc".getBytes(StandardCharsets.UTF_8)), at("10h")));
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h05m"), 2.0);
        f.advanceStreamTimeTo(at("11h"));

        TestRecord<byte[], DeadLetter> letter = f.deadLetters.readRecord();
        DeadLetter d = letter.value();
        assertThat(d.getStage()).isEqualTo(FailureStage.DESERIALIZATION);
        assertThat(d.getCause()).contains("magic byte");
        assertThat(d.getSourceTopic()).isEqualTo(f.topics.shipmentMilestones().name());
        assertThat(d.getSourcePartition()).isZero();
        assertThat(d.getSourceOffset()).isZero();
        assertThat(d.getApplicationId()).isEqualTo(f.applicationId);
        assertThat(d.getValue().array()).isEqualTo(garbage);
        assertThat(new String(d.getKey().array(), StandardCharsets.UTF_8)).isEqualTo(MAGNETS);
        assertThat(header(letter, "chokepoint.dlq.stage")).isEqualTo("DESERIALIZATION");
        assertThat(header(letter, "chokepoint.dlq.source.topic")).isEqualTo(f.topics.shipmentMilestones().name());
        assertThat(header(letter, "trace-id")).as("the record's own headers are kept").isEqualTo("abc");
        assertThat(f.deadLetterCounter.count(FailureStage.DESERIALIZATION)).isEqualTo(1);

        assertThat(finals(f.readStats(), MAGNETS)).singleElement().satisfies(s -> assertThat(s.getCount()).isEqualTo(1));
        assertThat(f.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableRecordsOwnTimestampClosesNoWindow() {
        TopologyFixture f = fixture;
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h05m"), 2.0);
        // stamped by its producer days later: that is no event time, and the 10h window must stay open
        f.rawMilestones.pipeInput(MAGNETS, "not avro at all".getBytes(StandardCharsets.UTF_8), at("100h"));

        assertThat(f.deadLetters.readRecord().value().getStage()).isEqualTo(FailureStage.DESERIALIZATION);
        assertThat(finals(f.readStats(), MAGNETS)).isEmpty();
        f.advanceStreamTimeTo(at("11h"));
        assertThat(finals(f.readStats(), MAGNETS)).singleElement().satisfies(s -> assertThat(s.getCount()).isEqualTo(1));
    }

    @Test
    void recordTheProcessorRejectsGoesToTheDeadLetterTopicNamingTheNode() {
        TopologyFixture f = fixture;
        ShipmentMilestone misKeyed = TopologyFixture.milestoneRecord(MAGNETS, "s9", Milestone.DEPARTED, at("9h"), at("10h"), "CN", "US");
        f.milestones.pipeInput("854231", misKeyed, at("10h"));     // key says chips, value says magnets
        f.milestone(MAGNETS, "s1", Milestone.DEPARTED, at("10h05m"), 2.0);

        TestRecord<byte[], DeadLetter> letter = f.deadLetters.readRecord();
        DeadLetter d = letter.value();
        assertThat(d.getStage()).isEqualTo(FailureStage.PROCESSING);
        assertThat(d.getProcessorNode()).isEqualTo(DelayAggregation.TRACKER);
        assertThat(d.getCause()).contains("record key '854231' differs from hsCode '850511'");
        assertThat(d.getSourceOffset()).isZero();
        assertThat(d.getValue()).isNotNull();
        assertThat(header(letter, "chokepoint.dlq.processor.node")).isEqualTo(DelayAggregation.TRACKER);
        assertThat(f.deadLetterCounter.count(FailureStage.PROCESSING)).isEqualTo(1);
        assertThat(f.readLive()).isNotEmpty().allSatisfy(s -> assertThat(s.getCount()).isEqualTo(1));
    }

    @Test
    void unreachableRegistryIsRetriedThenStopsTheApplication() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // producing side: the real registry; consuming side: a registry nobody listens on
        ChokepointConfig good = cluster.config().with(Map.of("topic.prefix", "down-"));
        ChokepointConfig down = good.with(Map.of("schema.registry.url", "http://127.0.0.1:" + closedPort,
                StreamsProperties.APPLICATION_ID, "registry-down"));
        Topics downTopics = down.topics();
        StreamsSettings settings = StreamsSettings.defaults().withRegistryRetries(3, Duration.ofMillis(10));
        Properties props = StreamsProperties.from(down, settings, downTopics, new DeadLetterCounter());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("registry-down").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(DelayAggregation.build(settings, downTopics), props)) {
            TestInputTopic<String, ShipmentMilestone> input = driver.createInputTopic(downTopics.shipmentMilestones().name(),
                    new StringSerializer(), good.topics().shipmentMilestones().valueSerde().serializer());
            ShipmentMilestone m = TopologyFixture.milestoneRecord(MAGNETS, "s1", Milestone.DEPARTED, at("9h"), at("10h"), "CN", "US");
            assertThatThrownBy(() -> input.pipeInput(MAGNETS, m))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("still unavailable after 3 attempts");
            assertThat(driver.producedTopicNames()).doesNotContain(downTopics.deadLetters().name());
        }
    }

    private static String header(TestRecord<byte[], DeadLetter> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
