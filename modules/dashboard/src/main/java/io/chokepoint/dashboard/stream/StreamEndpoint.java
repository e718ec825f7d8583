package io.chokepoint.dashboard.stream;

import io.chokepoint.http.Json;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/stream}: server-sent events ({@code stats}, {@code alert}, {@code policy},
 * {@code reset}, {@code heartbeat}). The request thread writes its client's queue out; a client
 * that cannot keep up overflows its queue, is dropped by {@link EventStream} and reconnects with
 * {@code Last-Event-ID} (browsers do so by themselves).
 */
public final class StreamEndpoint {

    private final EventStream stream;
    private final Duration heartbeat;
    private final Clock clock;

    public StreamEndpoint(EventStream stream, Duration heartbeat, Clock clock) {
        this.stream = stream;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    public void handle(Context ctx) throws IOException, InterruptedException {
        String lastEventId = ctx.header("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = ctx.queryParam("lastEventId"); // for clients that cannot set headers
        }
        Optional<EventStream.Subscription> subscribed = stream.subscribe(lastEventId);
        if (subscribed.isEmpty()) {
            ctx.header("Retry-After", "10");
            Json.problem(ctx, 503, "too many live-feed clients on this instance; retry later or use another instance");
            return;
        }
        try (EventStream.Subscription subscription = subscribed.get()) {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            write(out, "retry: 2000\n: connected\n\n");
            while (subscription.open()) {
                StreamEvent event = subscription.next(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (!subscription.open()) {
                    break; // a gap or shutdown: close, the client resumes from its last id
                }
                write(out, event != null ? event.frame()
                        : "event: heartbeat\ndata: {\"at\":\"" + clock.instant() + "\"}\n\n");
            }
        } catch (IOException clientGone) {
            // the client disconnected: nothing to answer
        }
    }

    private static void write(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
