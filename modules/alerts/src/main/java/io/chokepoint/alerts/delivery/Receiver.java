package io.chokepoint.alerts.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** One delivery attempt of a notification to one destination; retries happen around it. */
public interface Receiver extends AutoCloseable {

    String name();

    void deliver(Notification notification) throws DeliveryFailure;

    /**
     * One attempt without blocking the caller; the future fails with the {@link DeliveryFailure}.
     * Receivers with a non-blocking client (HTTP) override this; the others run {@link #deliver}
     * on {@code blocking}, the receiver's own threads, so they never hold up a shared thread.
     */
    default CompletableFuture<Void> deliverAsync(Notification notification, Executor blocking) {
        return CompletableFuture.runAsync(() -> {
            try {
                deliver(notification);
            } catch (DeliveryFailure f) {
                throw new CompletionException(f);
            }
        }, blocking);
    }

    @Override
    default void close() {
    }
}
