package io.chokepoint.dashboard.api;

import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks another streams instance (by its {@code application.server}) for what it owns. The
 * request carries {@link #FORWARDED} so the owner answers itself instead of forwarding again:
 * if ownership moved in between, it answers 503 and the client retries.
 */
public final class Forwarder {

    public static final String FORWARDED = "X-Chokepoint-Forwarded";

    private final HttpClient client;
    private final Duration timeout;
    private final Optional<String> authorization;

    /** {@code authorization}: this instance's own credentials, which its peers share when reads need them. */
    public Forwarder(Duration timeout, Optional<String> authorization) {
        this.timeout = timeout;
        this.authorization = authorization;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The owner's answer to {@code pathAndQuery}; {@link Unavailable} when it cannot be reached. */
    public HttpResponse<byte[]> get(HostInfo owner, String pathAndQuery) {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header(FORWARDED, "1").GET();
        authorization.ifPresent(a -> request.header("Authorization", a));
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unavailable("instance " + owner.host() + ":" + owner.port() + " that owns this data did not answer ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking " + owner.host() + ":" + owner.port());
        }
    }
}
