package io.chokepoint.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code chokepoint demo}: the JVM halts as soon as its shutdown
 * hooks return, so the hook only asks the demo's main thread to stop and then waits for it to
 * close everything in order (simulator, alerts, streams, registry, broker, temporary directory).
 */
final class DemoShutdown {

    /** Longest wait for the orderly close; streams close within 30 s at worst, the rest in seconds. */
    static final Duration GRACE = Duration.ofSeconds(45);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "demo-shutdown");

    private DemoShutdown() {
    }

    static DemoShutdown install() {
        DemoShutdown shutdown = new DemoShutdown();
        Runtime.getRuntime().addShutdownHook(shutdown.hook);
        return shutdown;
    }

    private void onSignal() {
        stopRequested.countDown();
        try {
            closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean requested() {
        return stopRequested.getCount() == 0;
    }

    /** Until a signal arrives, or for {@code limit} when given. */
    void await(Optional<Duration> limit) throws InterruptedException {
        if (limit.isPresent()) {
            stopRequested.await(limit.get().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            stopRequested.await();
        }
    }

    /** Everything is closed: a waiting hook may let the JVM halt; without a signal the hook is not needed any more. */
    void done() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and has just been released
        }
    }
}
