package io.chokepoint.dashboard;

import io.chokepoint.dashboard.stream.EventStream;
import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.avro.FailureStage;
import io.chokepoint.streams.DelayAggregation;
import io.chokepoint.streams.StreamsRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code /metrics} of a streams instance: every Kafka Streams client metric (through Micrometer's
 * {@link KafkaStreamsMetrics}) plus the figures an operator asks for by name: events in, late
 * observations dropped, duplicates skipped, dead letters by stage, alerts fired, live-feed clients.
 */
final class DashboardMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics streamsMetrics;

    DashboardMetrics(StreamsRuntime runtime, Topics topics) {
        // Kafka Streams tags a store's metrics with its type ("rocksdb-state-id", "rocksdb-window-state-id",
        // "in-memory-state-id" ...), but Prometheus takes one set of tag keys per name: without one key
        // for all, the first store type registered wins and the others' metrics are dropped with a
        // warning. Every store metric gets "state.id" and "store.type" instead.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("kafka.stream.state")) {
                    return id;
                }
                List<Tag> tags = new ArrayList<>();
                for (Tag t : id.getTags()) {
                    if (t.getKey().endsWith(".state.id")) {
                        tags.add(Tag.of("state.id", t.getValue()));
                        tags.add(Tag.of("store.type", t.getKey().substring(0, t.getKey().length() - ".state.id".length())));
                    } else {
                        tags.add(t);
                    }
                }
                return id.replaceTags(tags);
            }
        });
        KafkaStreams streams = runtime.streams();
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        Set<String> inputs = topics.inputs().stream().map(Topic::name).collect(Collectors.toSet());
        FunctionCounter.builder("chokepoint.events.in", streams, s -> sum(s, m -> m.name().equals("records-consumed-total")
                        && m.group().equals("consumer-fetch-manager-metrics") && inputs.contains(m.tags().get("topic"))))
                .description("Records read from the input topics (milestones, tariffs, licences)").register(registry);
        FunctionCounter.builder("chokepoint.late.observations.dropped", streams,
                        s -> sum(s, m -> m.name().equals(DelayAggregation.METRIC_LATE_DROPPED + "-total")))
                .description("Delay observations that arrived after every window they belong to had closed").register(registry);
        FunctionCounter.builder("chokepoint.duplicates.skipped", streams,
                        s -> sum(s, m -> m.name().equals(DelayAggregation.METRIC_DUPLICATES + "-total")))
                .description("Facts seen before (same shipment and milestone), counted once").register(registry);
        for (FailureStage stage : FailureStage.values()) {
            FunctionCounter.builder("chokepoint.dead.letters", runtime.deadLetters(), d -> d.count(stage))
                    .tag("stage", stage.name()).description("Records sent to the dead-letter topic").register(registry);
        }
    }

    void bindStream(EventStream stream) {
        Gauge.builder("chokepoint.sse.clients", stream, EventStream::clients).description("Connected live-feed clients").register(registry);
        FunctionCounter.builder("chokepoint.sse.clients.dropped", stream, EventStream::droppedClients)
                .description("Live-feed clients dropped because they fell too far behind").register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    private static double sum(KafkaStreams streams, Predicate<MetricName> which) {
        double total = 0;
        for (Metric m : streams.metrics().values()) {
            if (which.test(m.metricName()) && m.metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }

    @Override
    public void close() {
        streamsMetrics.close();
        registry.close();
    }
}
