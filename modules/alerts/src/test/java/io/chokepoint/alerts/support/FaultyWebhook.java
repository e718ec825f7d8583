package io.chokepoint.alerts.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP webhook endpoint on 127.0.0.1 (JDK HttpServer) whose next answers can be scripted:
 * 500s, answers slower than the client's read timeout, 429/503 with Retry-After, 400; and which
 * can be taken down (connection refused) and brought back on the same port.
 */
public final class FaultyWebhook implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How to answer one request. */
    public record Fault(int status, long delayMillis, String retryAfter) {
        public static final Fault OK = new Fault(200, 0, null);
        public static final Fault SERVER_ERROR = new Fault(500, 0, null);
        public static final Fault BAD_REQUEST = new Fault(400, 0, null);

        /** Accepts the alert but answers after the client gave up (read timeout). */
        public static Fault slow(long millis) {
            return new Fault(200, millis, null);
        }

        public static Fault tooManyRequests(String retryAfter) {
            return new Fault(429, 0, retryAfter);
        }

        public static Fault unavailable(String retryAfter) {
            return new Fault(503, 0, retryAfter);
        }
    }

    /** One request as the endpoint saw it. */
    public record Received(long atMillis, String idempotencyKey, String signature, byte[] body, int status, List<String> alertKeys) {
        public boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    private final int port;
    private final Deque<Fault> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile Fault otherwise = Fault.OK;
    private HttpServer server;

    public FaultyWebhook() {
        try {
            server = create(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = server.getAddress().getPort();
    }

    private HttpServer create(int bindPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", bindPort), 50);
        s.createContext("/hook", this::handle);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hook");
    }

    public synchronized FaultyWebhook script(Fault... faults) {
        script.addAll(List.of(faults));
        return this;
    }

    public FaultyWebhook otherwise(Fault fault) {
        this.otherwise = fault;
        return this;
    }

    private synchronized Fault next() {
        Fault f = script.poll();
        return f == null ? otherwise : f;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Fault fault = next();
        List<String> keys = new ArrayList<>();
        JsonNode payload = JSON.readTree(body);
        payload.path("alerts").forEach(a -> keys.add(a.path("idempotencyKey").asText()));
        received.add(new Received(System.currentTimeMillis(), exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("Chokepoint-Signature"), body, fault.status(), List.copyOf(keys)));
        if (fault.delayMillis() > 0) {
            try {
                Thread.sleep(fault.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fault.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
        }
        exchange.sendResponseHeaders(fault.status(), -1);
        exchange.close();
    }

    /** Stops listening: clients get "connection refused" until {@link #up()}. */
    public synchronized void down() {
        server.stop(0);
    }

    public synchronized void up() {
        try {
            server = create(port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rebind port " + port, e);
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** How often each alert transition was accepted (answered 2xx), the receiver-side view after dedup. */
    public Map<String, Integer> acceptedCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Received r : received) {
            if (r.accepted()) {
                r.alertKeys().forEach(k -> counts.merge(k, 1, Integer::sum));
            }
        }
        return counts;
    }

    @Override
    public synchronized void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
