package io.chokepoint.streams.dlq;

import io.chokepoint.events.avro.DeadLetter;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.events.serde.SerdeFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds the dead-letter record every handler sends: key = the failed record's raw key, value =
 * a {@code DeadLetter} Avro record (stage, cause, source topic/partition/offset, application id,
 * processor node, raw key and value bytes), headers = the failed record's own headers plus
 * {@code chokepoint.dlq.*} headers with the same context, readable without the registry.
 * The records go back to Kafka Streams, which writes them in the task's transaction.
 */
public final class DeadLetters {

    /** Dead-letter topic name (the catalogue's {@code chokepoint-dlq}, prefixed). */
    public static final String TOPIC_CONFIG = "chokepoint.dlq.topic";
    /** A {@link DeadLetterCounter} instance to count into (optional). */
    public static final String COUNTER_CONFIG = "chokepoint.dlq.counter";
    /** Registry attempts when registering the DeadLetter schema (optional, default 5). */
    public static final String REGISTRY_RETRIES_CONFIG = "chokepoint.dlq.registry.retries";

    public static final String HEADER_PREFIX = "chokepoint.dlq.";
    private static final int MAX_CAUSE = 4000;

    private final String topic;
    private final String applicationId;
    private final Serializer<DeadLetter> serializer;
    private final DeadLetterCounter counter;
    private final Clock clock;

    DeadLetters(String topic, String applicationId, Serializer<DeadLetter> serializer, DeadLetterCounter counter, Clock clock) {
        this.topic = topic;
        this.applicationId = applicationId;
        this.serializer = serializer;
        this.counter = counter;
        this.clock = clock;
    }

    /** From the Streams configuration a handler receives in {@code configure}. */
    static DeadLetters fromConfigs(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(TOPIC_CONFIG, topic, "the dead-letter topic must be set for the Chokepoint exception handlers");
        }
        Object counter = configs.get(COUNTER_CONFIG);
        Object appId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        Object retries = configs.get(REGISTRY_RETRIES_CONFIG);
        int attempts = retries == null ? 5 : Integer.parseInt(retries.toString());
        Serializer<DeadLetter> serializer = new RetryingSerializer<>(
                new SerdeFactory(configs).valueSerde(DeadLetter.class).serializer(), attempts, Duration.ofMillis(500));
        return new DeadLetters(topic.toString(), appId == null ? null : appId.toString(), serializer,
                counter instanceof DeadLetterCounter c ? c : new DeadLetterCounter(), Clock.systemUTC());
    }

    public DeadLetterCounter counter() {
        return counter;
    }

    List<ProducerRecord<byte[], byte[]>> recordFor(FailureStage stage, ErrorHandlerContext context, byte[] rawKey, byte[] rawValue,
                                                   Exception exception) {
        String cause = describe(exception);
        DeadLetter letter = DeadLetter.newBuilder()
                .setStage(stage)
                .setCause(cause)
                .setSourceTopic(context == null ? null : context.topic())
                .setSourcePartition(context == null || context.partition() < 0 ? null : context.partition())
                .setSourceOffset(context == null || context.offset() < 0 ? null : context.offset())
                .setApplicationId(applicationId)
                .setProcessorNode(context == null ? null : context.processorNodeId())
                .setFailedAt(clock.instant())
                .setKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
                .setValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .build();
        Headers headers = new RecordHeaders();
        if (context != null && context.headers() != null) {
            for (Header h : context.headers()) {
                if (!h.key().startsWith(HEADER_PREFIX)) {
                    headers.add(h.key(), h.value());
                }
            }
        }
        header(headers, "stage", stage.name());
        header(headers, "cause", cause.length() > 500 ? cause.substring(0, 500) : cause);
        header(headers, "exception", exception.getClass().getName());
        header(headers, "application.id", applicationId);
        if (context != null) {
            header(headers, "source.topic", context.topic());
            header(headers, "source.partition", context.partition() < 0 ? null : Integer.toString(context.partition()));
            header(headers, "source.offset", context.offset() < 0 ? null : Long.toString(context.offset()));
            header(headers, "processor.node", context.processorNodeId());
        }
        byte[] value = serializer.serialize(topic, headers, letter);
        counter.increment(stage);
        return List.of(new ProducerRecord<>(topic, null, rawKey, value, headers));
    }

    private static void header(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(HEADER_PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Exception class and message, then each cause, so the reason is readable in one field. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < MAX_CAUSE; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- caused by: ");
            }
            text.append(t.getClass().getName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.length() > MAX_CAUSE ? text.substring(0, MAX_CAUSE) : text.toString();
    }
}
