package io.chokepoint.streams.dlq;

import io.chokepoint.events.avro.FailureStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A record that cannot be read (not Avro, unknown schema id, corrupt bytes) goes to the
 * dead-letter topic and processing resumes; a registry outage stops the application instead,
 * since every following record would fail the same way and none of them is at fault.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (RegistryRetry.isRegistryOutage(exception)) {
            LOG.error("cannot deserialize from {}-{}@{}: schema registry unavailable, stopping: {}",
                    context.topic(), context.partition(), context.offset(), exception.getMessage());
            return Response.fail();
        }
        LOG.warn("dead-lettering unreadable record {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
                exception.getMessage());
        try {
            return Response.resume(deadLetters.recordFor(FailureStage.DESERIALIZATION, context, record.key(), record.value(), exception));
        } catch (RuntimeException e) {
            LOG.error("cannot write the dead letter for {}-{}@{}, stopping", context.topic(), context.partition(), context.offset(), e);
            return Response.fail();
        }
    }
}
