package io.chokepoint.alerts.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * POSTs a JSON body with the connect and read timeouts, the idempotency key and, when a secret is
 * set, the {@code Chokepoint-Signature} header; classifies the answer for the retry policy.
 * Error messages name only scheme, host and port of the URL: a Slack URL's path is its credential.
 */
public final class HttpSender implements AutoCloseable {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final URI url;
    private final String safeUrl;
    private final Optional<String> secret;
    private final Duration readTimeout;
    private final Map<String, String> headers;
    private final Clock clock;
    private final HttpClient client;

    public HttpSender(URI url, Optional<String> secret, Duration connectTimeout, Duration readTimeout,
                      Map<String, String> headers, Clock clock) {
        this.url = url;
        this.safeUrl = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        this.secret = secret;
        this.readTimeout = readTimeout;
        this.headers = headers;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public void post(byte[] body, String idempotencyKey) throws DeliveryFailure {
        try {
            postAsync(body, idempotencyKey).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DeliveryFailure f) {
                throw f;
            }
            throw DeliveryFailure.retryable("error talking to " + safeUrl + ": " + e.getCause(), e.getCause());
        }
    }

    /** One POST without blocking: completes on the client's threads, failing with a {@link DeliveryFailure}. */
    public CompletableFuture<Void> postAsync(byte[] body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "chokepoint-alerts")
                .header(IDEMPOTENCY_KEY, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        secret.ifPresent(s -> request.header(WebhookSignature.HEADER,
                WebhookSignature.header(s, clock.instant().getEpochSecond(), body)));
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null) {
                result.completeExceptionally(failure(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error));
                return;
            }
            DeliveryFailure f = classify(response);
            if (f == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(f);
            }
        });
        return result;
    }

    private DeliveryFailure failure(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return DeliveryFailure.retryable("connect timeout to " + safeUrl, e);
        }
        if (e instanceof HttpTimeoutException) {
            return DeliveryFailure.retryable("no response from " + safeUrl + " within " + readTimeout.toMillis() + " ms", e);
        }
        if (e instanceof ConnectException) {
            return DeliveryFailure.retryable("connection refused by " + safeUrl, e);
        }
        if (e instanceof IOException) {
            return DeliveryFailure.retryable("I/O error talking to " + safeUrl + ": " + e, e);
        }
        return DeliveryFailure.retryable("error talking to " + safeUrl + ": " + e, e);
    }

    private DeliveryFailure classify(HttpResponse<Void> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return null;
        }
        String message = "HTTP " + status + " from " + safeUrl;
        if (status == 429 || status == 503) {
            Duration retryAfter = response.headers().firstValue("Retry-After").map(v -> parseRetryAfter(v, clock)).orElse(null);
            return new DeliveryFailure(message + (retryAfter == null ? "" : " (Retry-After " + retryAfter.toMillis() + " ms)"),
                    true, retryAfter, null);
        }
        if (status == 408 || status >= 500) {
            return DeliveryFailure.retryable(message, null);
        }
        return DeliveryFailure.permanent(message + "; not retried (a client error repeats on every attempt)");
    }

    /** Retry-After is either delay-seconds or an HTTP-date; unparseable values are ignored. */
    static Duration parseRetryAfter(String value, Clock clock) {
        String v = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        // HttpClient#close exists from Java 21 only; its threads are daemons and go with the process
    }
}
