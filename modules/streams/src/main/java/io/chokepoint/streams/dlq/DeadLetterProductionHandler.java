package io.chokepoint.streams.dlq;

import io.chokepoint.events.avro.FailureStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * An output record the broker refuses (too large, invalid) or that cannot be serialized goes to
 * the dead-letter topic; transient broker errors are retried and a registry outage stops the
 * application.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        LOG.warn("dead-lettering output to {} that the broker refused: {}", record.topic(), exception.getMessage());
        return deadLetter(context, record.key(), record.value(), exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (RegistryRetry.isRegistryOutage(exception)) {
            LOG.error("cannot serialize output to {}: schema registry unavailable, stopping: {}", record.topic(), exception.getMessage());
            return Response.fail();
        }
        LOG.warn("dead-lettering output to {} that cannot be serialized ({}): {}", record.topic(), origin, exception.getMessage());
        return deadLetter(context, context == null ? null : context.sourceRawKey(), context == null ? null : context.sourceRawValue(), exception);
    }

    private Response deadLetter(ErrorHandlerContext context, byte[] key, byte[] value, Exception exception) {
        try {
            return Response.resume(deadLetters.recordFor(FailureStage.PRODUCTION, context, key, value, exception));
        } catch (RuntimeException e) {
            LOG.error("cannot write the dead letter for a failed output record, stopping", e);
            return Response.fail();
        }
    }
}
