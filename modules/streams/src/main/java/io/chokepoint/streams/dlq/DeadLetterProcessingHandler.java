package io.chokepoint.streams.dlq;

import io.chokepoint.events.avro.FailureStage;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A record a processor rejects (wrong key, impossible field) goes to the dead-letter topic with
 * its raw source bytes and the failing node; processing resumes with the next record. A record its
 * source could not read ({@link UnreadableRecord}) is dead-lettered here too, at the
 * {@code DESERIALIZATION} stage with the reading failure as its cause.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (RegistryRetry.isRegistryOutage(exception)) {
            LOG.error("processing at {} failed: schema registry unavailable, stopping: {}", context.processorNodeId(), exception.getMessage());
            return Response.fail();
        }
        RuntimeException readingFailure = UnreadableRecordException.readingFailureIn(exception);
        if (readingFailure != null) {
            LOG.warn("dead-lettering unreadable record {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
                    readingFailure.getMessage());
        } else {
            LOG.warn("dead-lettering record {}-{}@{} rejected by {}: {}", context.topic(), context.partition(), context.offset(),
                    context.processorNodeId(), exception.getMessage());
        }
        FailureStage stage = readingFailure != null ? FailureStage.DESERIALIZATION : FailureStage.PROCESSING;
        Exception cause = readingFailure != null ? readingFailure : exception;
        try {
            return Response.resume(deadLetters.recordFor(stage, context, context.sourceRawKey(), context.sourceRawValue(), cause));
        } catch (RuntimeException e) {
            LOG.error("cannot write the dead letter for {}-{}@{}, stopping", context.topic(), context.partition(), context.offset(), e);
            return Response.fail();
        }
    }
}
