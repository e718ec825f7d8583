package io.chokepoint.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.alerts.AlertsService;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.alerts.support.AlertsTestBed;
import io.chokepoint.alerts.support.FaultyWebhook;
import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Kafka receiver writes Avro through the registry; the Slack receiver posts an incoming-webhook message. */
@ExtendWith(DevClusterExtension.class)
class KafkaAndSlackReceiverTest {

    @Test
    @SuppressWarnings("try") // the dispatcher only has to run during the body and be closed after it
    void an_alert_reaches_a_kafka_topic_as_avro_and_slack_as_a_message(DevCluster cluster) throws Exception {
        try (AlertsTestBed bed = new AlertsTestBed(cluster, Map.of());
             FaultyWebhook slack = new FaultyWebhook()) {
            String outTopic = bed.topics().disruptionAlerts().name() + "-downstream";
            String yaml = """
                    route: {receivers: [downstream, chat], group_by: [hs_code], group_wait: 0s}
                    receivers:
                      - name: downstream
                        kafka: {topic: %s}
                      - name: chat
                        slack: {url: %s, channel: "#magnets", username: chokepoint}
                    """.formatted(outTopic, slack.url());
            try (AlertsService service = bed.startDispatcher(yaml)) {
                DisruptionAlert alert = Alerts.firing("k-1", "850511", Severity.CRITICAL);
                bed.produce(alert);

                Properties p = bed.config().kafkaClientProperties();
                p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
                p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                List<ConsumerRecord<String, DisruptionAlert>> got = new ArrayList<>();
                try (KafkaConsumer<String, DisruptionAlert> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                        bed.topics().disruptionAlerts().valueSerde().deserializer())) {
                    consumer.subscribe(List.of(outTopic));
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                        return !got.isEmpty();
                    });
                }
                assertThat(got).hasSize(1);
                assertThat(got.get(0).key()).isEqualTo("850511");
                assertThat(got.get(0).value()).isEqualTo(alert);
                assertThat(new String(got.get(0).headers().lastHeader("Idempotency-Key").value(), StandardCharsets.UTF_8))
                        .isEqualTo("k-1:firing");

                await().atMost(Duration.ofSeconds(20)).until(() -> !slack.received().isEmpty());
                JsonNode message = new ObjectMapper().readTree(slack.received().get(0).body());
                assertThat(message.path("channel").asText()).isEqualTo("#magnets");
                assertThat(message.path("text").asText()).isEqualTo("[FIRING:1] hs_code=850511");
                JsonNode attachment = message.path("attachments").path(0);
                assertThat(attachment.path("color").asText()).isEqualTo("danger");
                assertThat(attachment.path("title").asText()).contains("CRITICAL").contains("850511 permanent magnets");
                assertThat(attachment.path("text").asText()).isEqualTo(alert.getExplanation());
                assertThat(slack.received().get(0).idempotencyKey()).isEqualTo("k-1:firing");
            }
        }
    }
}
