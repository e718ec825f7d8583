package io.chokepoint.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Marker;

/**
 * The embedded broker logs, as ERROR, every first append of a transactions-v2 producer that it
 * answers with the retriable "expected sequence 0" (KAFKA-18202); the producer retries and the
 * append succeeds. Drop exactly those lines so the demo's console shows real problems only.
 */
public final class RetriableSequenceNoise extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t instanceof OutOfOrderSequenceException && logger.getName().startsWith("kafka.server.ReplicaManager")) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
