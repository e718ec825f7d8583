package io.chokepoint.alerts.routing;

import io.chokepoint.events.config.ChokepointConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reloads the routing file when it changes (its content is checked every {@code period}) or on
 * SIGHUP, like Alertmanager. A new file is validated in full before it replaces the running tree;
 * a file with problems keeps the old tree and logs every problem once, naming file and line.
 */
public final class RoutingReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoutingReloader.class);

    private final Path file;
    private final ChokepointConfig config;
    private final Consumer<RoutingConfig> apply;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "routing-reloader");
        t.setDaemon(true);
        return t;
    });
    private byte[] current;

    /** @param apply receives each valid new tree */
    public RoutingReloader(Path file, ChokepointConfig config, Consumer<RoutingConfig> apply, Duration period) {
        this.file = file;
        this.config = config;
        this.apply = apply;
        this.current = read();
        timer.scheduleWithFixedDelay(() -> check(false), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        onHangUp(() -> timer.execute(() -> check(true)));
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** @param forced SIGHUP: reload even if the content looks the same */
    synchronized void check(boolean forced) {
        byte[] now = read();
        if (now == null) {
            if (current != null) {
                log.warn("routing file {} cannot be read; still routing with the previous tree", file);
                current = null;
            }
            return;
        }
        if (!forced && Arrays.equals(now, current)) {
            return;
        }
        current = now;
        try {
            RoutingConfig tree = RoutingConfigLoader.load(file, config);
            apply.accept(tree);
        } catch (RoutingConfigException e) {
            log.warn("routing file {} not reloaded, still routing with the previous tree: {}", file, e.getMessage());
        }
    }

    /**
     * SIGHUP through {@code sun.misc.Signal} (module jdk.unsupported), looked up reflectively so the
     * build stays free of internal-API warnings; where there is none (Windows) only file changes count.
     */
    private static void onHangUp(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[]{handler}, (p, m, args) -> {
                if (m.getName().equals("handle")) {
                    action.run();
                }
                return null;
            });
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            signal.getMethod("handle", signal, handler).invoke(null, hup, proxy);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("no SIGHUP on this platform ({}); the routing file is still reloaded when it changes", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
