package io.chokepoint.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-receiver delivery metrics. In Prometheus text: {@code chokepoint_alerts_delivered_total},
 * {@code _failed_total} (failed attempts), {@code _retried_total}, {@code _dead_lettered_total},
 * {@code _fallback_total}, {@code chokepoint_alerts_delivery_seconds} (first attempt to success)
 * and {@code chokepoint_alerts_end_to_end_seconds} (alert record timestamp to delivery), all
 * tagged {@code receiver}; plus {@code chokepoint_alerts_muted_total{reason}}.
 */
public final class AlertMetrics {

    private final MeterRegistry registry;

    private final Map<String, Meter> meters = new ConcurrentHashMap<>();

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void delivered(String receiver, Duration took, Duration sinceRecord) {
        counter("chokepoint.alerts.delivered", receiver, "Notifications delivered").increment();
        timer("chokepoint.alerts.delivery", receiver, "First attempt to successful delivery").record(took);
        if (sinceRecord != null && !sinceRecord.isNegative()) {
            timer("chokepoint.alerts.end.to.end", receiver, "Alert record timestamp to delivery").record(sinceRecord);
        }
    }

    public void failedAttempt(String receiver) {
        counter("chokepoint.alerts.failed", receiver, "Delivery attempts that failed").increment();
    }

    public void retried(String receiver) {
        counter("chokepoint.alerts.retried", receiver, "Delivery attempts that were retries").increment();
    }

    public void deadLettered(String receiver, int alerts) {
        counter("chokepoint.alerts.dead.lettered", receiver, "Alerts sent to the alerts dead-letter topic").increment(alerts);
    }

    public void fallback(String receiver) {
        counter("chokepoint.alerts.fallback", receiver, "Notifications delivered by the fallback receiver").increment();
    }

    public void muted(String reason) {
        Counter.builder("chokepoint.alerts.muted").tag("reason", reason).description("Alert deliveries muted")
                .register(registry).increment();
    }

    // looked up once per receiver: building and registering a meter's id for every delivery showed in profiles
    private Counter counter(String name, String receiver, String description) {
        return (Counter) meters.computeIfAbsent(name + "|" + receiver,
                k -> Counter.builder(name).tag("receiver", receiver).description(description).register(registry));
    }

    private Timer timer(String name, String receiver, String description) {
        // buckets, not client-side percentiles: Prometheus can aggregate them over instances (histogram_quantile), and
        // recording into them takes no lock, where the percentiles' rotating histograms were contended by every HTTP thread
        return (Timer) meters.computeIfAbsent(name + "|" + receiver, k -> Timer.builder(name).tag("receiver", receiver)
                .description(description).publishPercentileHistogram().register(registry));
    }
}
