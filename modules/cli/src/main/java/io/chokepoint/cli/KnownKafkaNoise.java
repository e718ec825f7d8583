package io.chokepoint.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.chokepoint.streams.StreamsProperties;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Marker;

/**
 * Drops exactly the Kafka log lines that say nothing true about a Chokepoint process, so a normal
 * start prints no warning and the console shows real problems only:
 * <ul>
 *   <li>the embedded broker's ERROR for every first append of a transactions-v2 producer that it
 *       answers with the retriable "expected sequence 0" (KAFKA-18202); the producer retries and
 *       the append succeeds;</li>
 *   <li>Kafka Streams' advice to enable the processing-exception handler for the global thread,
 *       which Chokepoint does enable: Streams also logs it for the partial copies of the
 *       configuration it makes for its inner clients, which drop the key;</li>
 *   <li>the warning that the state directory is under the OS temp directory, when it is the
 *       directory {@link StreamsProperties#TEMPORARY_STATE_DIR_PROPERTY} names: the demo's own temporary data, removed
 *       when it stops ({@code --data-dir} keeps it elsewhere);</li>
 *   <li>the client's ERROR at every metadata refresh that names a topic the principal may not
 *       use: the same refusal reaches the producer or consumer as a
 *       {@code TopicAuthorizationException}, which the command reports once, naming the topic;</li>
 *   <li>the producer's ERROR when it aborts its batches for a refused authorization (e.g. no
 *       idempotent write): the send fails with the same exception, which the command reports; and
 *       the stack trace its I/O thread may then log while closing ("Transactional method invoked
 *       on a non-transactional producer"), a client race after that fatal error;</li>
 *   <li>Kafka Streams' WARN with a stack trace for every record it skips after a deserialization
 *       error: the dead-letter handler has already logged it in one line and written it, with its
 *       context, to the dead-letter topic (10,000 poison pills made 180,000 log lines);</li>
 *   <li>the clients' lines (with stack traces) for a failed SASL or TLS authentication: it is fatal
 *       to every client, and the first contact with Kafka reports it in one line naming the user.</li>
 * </ul>
 */
public final class KnownKafkaNoise extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t instanceof OutOfOrderSequenceException && logger.getName().startsWith("kafka.server.ReplicaManager")) {
            return FilterReply.DENY;
        }
        if (t instanceof AuthenticationException || (level == Level.ERROR && format != null
                && logger.getName().equals("org.apache.kafka.clients.NetworkClient") && format.contains("failed authentication"))) {
            return FilterReply.DENY;
        }
        if (logger.getName().equals("org.apache.kafka.clients.producer.internals.Sender") && (t instanceof AuthorizationException
                || t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("non-transactional producer"))) {
            return FilterReply.DENY;
        }
        if (level == Level.ERROR && format != null && logger.getName().equals("org.apache.kafka.clients.Metadata")
                && format.contains("Topic authorization failed")) {
            return FilterReply.DENY;
        }
        if (format == null || level != Level.WARN) {
            return FilterReply.NEUTRAL;
        }
        if (logger.getName().equals("org.apache.kafka.streams.processor.internals.RecordDeserializer")
                && format.contains("Skipping record due to deserialization error")) {
            return FilterReply.DENY;
        }
        if (logger.getName().equals("org.apache.kafka.streams.StreamsConfig")
                && format.startsWith("Processing exception handler is not enabled for the GlobalThread")) {
            return FilterReply.DENY;
        }
        String temporary = System.getProperty(StreamsProperties.TEMPORARY_STATE_DIR_PROPERTY);
        if (temporary != null && logger.getName().equals("org.apache.kafka.streams.processor.internals.StateDirectory")
                && format.startsWith("Using an OS temp directory") && format.contains(temporary)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
