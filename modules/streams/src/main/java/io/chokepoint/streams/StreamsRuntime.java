package io.chokepoint.streams;

import io.chokepoint.events.Topics;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.streams.dlq.DeadLetterCounter;
import io.chokepoint.streams.query.StatsQueries;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running delay aggregation: one {@link KafkaStreams} instance over
 * {@link DelayAggregation#build}, its dead-letter counter and its query service. A failure the
 * handlers refuse to absorb (registry down after retries, a bug) shuts this client down and is
 * kept in {@link #failure()} so the command can exit non-zero with the reason; one Kafka Streams
 * recovers from on a new thread replaces the thread ({@link ThreadFailurePolicy}).
 */
public final class StreamsRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRuntime.class);

    private final KafkaStreams streams;
    private final DeadLetterCounter deadLetters = new DeadLetterCounter();
    private final StatsQueries queries;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final String applicationId;

    public StreamsRuntime(ChokepointConfig config, StreamsSettings settings) {
        this(config, settings, java.util.List.of());
    }

    /** The delay aggregation plus the given extensions (e.g. rule evaluation) in one application. */
    public StreamsRuntime(ChokepointConfig config, StreamsSettings settings, java.util.List<TopologyExtension> extensions) {
        Topics topics = config.topics();
        Properties props = StreamsProperties.from(config, settings, topics, deadLetters);
        this.applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        org.apache.kafka.streams.Topology topology = DelayAggregation.build(settings, topics);
        extensions.forEach(extension -> extension.addTo(topology, config));
        // a transaction aborted under running tasks would lose their output (see the guard)
        this.streams = new KafkaStreams(topology, props, new AbortedTransactionGuard());
        Object server = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        this.queries = StatsQueries.of(streams, server == null ? null : HostInfo.buildFromEndpoint(server.toString()));
        ThreadFailurePolicy policy = new ThreadFailurePolicy(System::currentTimeMillis);
        streams.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = policy.onFailure(e);
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.warn("delay aggregation {}: a stream thread failed ({}); replacing it, its tasks start again from their last commit",
                        applicationId, rootMessage(e));
                return response;
            }
            failure.compareAndSet(null, e);
            LOG.error("delay aggregation {} failed, shutting this instance down: {}", applicationId, rootMessage(e), e);
            return response;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("delay aggregation {}: {} -> {}", applicationId, before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
    }

    public void start() {
        streams.start();
    }

    /** Waits until the instance stopped (closed, or failed); true if it stopped within the timeout. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public StatsQueries queries() {
        return queries;
    }

    public DeadLetterCounter deadLetters() {
        return deadLetters;
    }

    /** Why the instance stopped on its own, if it did. */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    /** The innermost message of a failure, the one that names what went wrong. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Closes cleanly: commits, flushes the stores, leaves the group. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // Kafka Streams stays in the group on close by default; the instance that replaces this one
            // (a restart, a scale-in) would then wait out the session timeout (45 s) for these tasks
            boolean clean = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            LOG.info("delay aggregation {} {}; {} record(s) dead-lettered", applicationId,
                    clean ? "closed cleanly" : "did not close within 30 s", deadLetters.total());
        }
        stopped.countDown();
    }
}
