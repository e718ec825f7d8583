package io.chokepoint.streams.dlq;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.events.serde.SchemaRegistryException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The production handler, which no test driver can provoke: refused outputs, retriable errors, registry outages. */
@ExtendWith(DevClusterExtension.class)
class DeadLetterHandlersTest {

    private final DeadLetterCounter counter = new DeadLetterCounter();
    private final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    private ChokepointConfig config;

    @BeforeEach
    void configure(DevCluster cluster) {
        config = cluster.config();
        Map<String, Object> configs = new HashMap<>(config.registryProperties());
        configs.put(StreamsConfig.APPLICATION_ID_CONFIG, "handlers-test");
        configs.put(DeadLetters.TOPIC_CONFIG, "handlers-test-dlq");
        configs.put(DeadLetters.COUNTER_CONFIG, counter);
        handler.configure(configs);
    }

    @Test
    void outputTheBrokerRefusesIsDeadLetteredWithItsBytes() {
        byte[] value = "a very large stats record".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> refused = new ProducerRecord<>("commodity-delay-stats", "850511".getBytes(StandardCharsets.UTF_8), value);
        ProductionExceptionHandler.Response response = handler.handleError(context(), refused, new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertThat(dlq.topic()).isEqualTo("handlers-test-dlq");
        DeadLetter letter = config.serdes().valueSerde(DeadLetter.class).deserializer().deserialize(dlq.topic(), dlq.value());
        assertThat(letter.getStage()).isEqualTo(FailureStage.PRODUCTION);
        assertThat(letter.getCause()).startsWith(RecordTooLargeException.class.getName() + ": too large");
        assertThat(letter.getProcessorNode()).isEqualTo("delay-aggregation");
        assertThat(letter.getApplicationId()).isEqualTo("handlers-test");
        assertThat(letter.getValue().array()).isEqualTo(value);
        assertThat(new String(dlq.headers().lastHeader("chokepoint.dlq.stage").value(), StandardCharsets.UTF_8)).isEqualTo("PRODUCTION");
        assertThat(counter.count(FailureStage.PRODUCTION)).isEqualTo(1);
    }

    @Test
    void retriableBrokerErrorsAreRetriedNotDeadLettered() {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("commodity-delay-stats", new byte[1], new byte[1]);
        ProductionExceptionHandler.Response response = handler.handleError(context(), record, new NotLeaderOrFollowerException("moving"));
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(counter.total()).isZero();
    }

    @Test
    void registryOutageWhileSerializingStopsTheApplication() {
        SchemaRegistryException outage = new SchemaRegistryException("unreachable", "s", 0, 0, null);
        ProductionExceptionHandler.Response response = handler.handleSerializationError(context(),
                new ProducerRecord<>("commodity-delay-stats", "850511", "x"),
                new RegistryUnavailableException("still unavailable", outage), SerializationExceptionOrigin.VALUE);
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(counter.total()).isZero();
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return "shipment-milestones";
            }

            @Override
            public int partition() {
                return 3;
            }

            @Override
            public long offset() {
                return 42;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "delay-aggregation";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 3);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return "850511".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] sourceRawValue() {
                return new byte[]{0, 0, 0, 0, 1};
            }
        };
    }
}
