package io.chokepoint.alerts.delivery;

/** One delivery attempt of a notification to one destination; retries happen around it. */
public interface Receiver extends AutoCloseable {

    String name();

    void deliver(Notification notification) throws DeliveryFailure;

    @Override
    default void close() {
    }
}
