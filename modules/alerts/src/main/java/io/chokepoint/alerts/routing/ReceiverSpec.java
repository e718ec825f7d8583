package io.chokepoint.alerts.routing;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A receiver as the routing file declares it: where notifications go, and how hard to try.
 *
 * @param concurrency notifications in flight at once (per dispatcher instance); one group's stay in order
 * @param fallback receiver that gets a notification this one could not deliver after its last attempt
 */
public record ReceiverSpec(String name, Target target, int concurrency, RetryPolicy retry, BreakerPolicy breaker, Optional<String> fallback) {

    /** Where a receiver delivers. */
    public sealed interface Target permits Webhook, Slack, KafkaTopic, JsonLines, Console {
    }

    /**
     * Generic JSON webhook (Alertmanager v4-like payload).
     *
     * @param signingSecret HMAC-SHA256 key for {@code Chokepoint-Signature}; empty = unsigned
     */
    public record Webhook(URI url, Optional<String> signingSecret, Duration connectTimeout, Duration readTimeout,
                          Map<String, String> headers) implements Target {
        @Override
        public String toString() {
            return "Webhook[" + url + ", signed=" + signingSecret.isPresent() + "]"; // never print the secret
        }
    }

    /** Slack-compatible incoming webhook ({@code text} + {@code attachments}). */
    public record Slack(URI url, Optional<String> channel, Optional<String> username, Optional<String> signingSecret,
                        Duration connectTimeout, Duration readTimeout) implements Target {
        @Override
        public String toString() {
            return "Slack[" + url.getHost() + "]"; // the path of a Slack URL is the credential
        }
    }

    /** Each alert of a notification as a {@code DisruptionAlert} Avro record (registry serde) on a topic. */
    public record KafkaTopic(String topic) implements Target {
    }

    /** One JSON line per notification (the webhook payload) appended to a file, or stdout for "-". */
    public record JsonLines(String path, boolean fsync) implements Target {
        public boolean stdout() {
            return "-".equals(path);
        }
    }

    /** One readable line per alert on standard output, for a person at a terminal. */
    public record Console() implements Target {
    }

    /** Exponential backoff with jitter; {@code Retry-After} of 429/503 is honoured up to {@code maxRetryAfter}. */
    public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
                              double jitter, Duration maxRetryAfter) {
        public static RetryPolicy defaults() {
            return new RetryPolicy(8, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.5, Duration.ofMinutes(5));
        }
    }

    /** Circuit breaker over the receiver's recent calls. */
    public record BreakerPolicy(float failureRateThreshold, int slidingWindow, int minimumCalls, Duration openFor) {
        public static BreakerPolicy defaults() {
            return new BreakerPolicy(50f, 20, 10, Duration.ofSeconds(30));
        }
    }
}
