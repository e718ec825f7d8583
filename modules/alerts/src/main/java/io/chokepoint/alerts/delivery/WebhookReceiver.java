package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.routing.ReceiverSpec;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Generic JSON webhook: the Alertmanager-like payload, signed, with the idempotency key. */
public final class WebhookReceiver implements Receiver {

    private final String name;
    private final HttpSender sender;
    private final PayloadLinks links;

    public WebhookReceiver(String name, ReceiverSpec.Webhook spec, PayloadLinks links, Clock clock) {
        this.name = name;
        this.links = links;
        this.sender = new HttpSender(name, spec.url(), spec.signingSecret(), spec.connectTimeout(), spec.readTimeout(), spec.headers(), clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Notification notification) throws DeliveryFailure {
        sender.post(Payloads.webhook(notification, links), notification.id());
    }

    @Override
    public CompletableFuture<Void> deliverAsync(Notification notification, Executor blocking) {
        return sender.postAsync(Payloads.webhook(notification, links), notification.id());
    }

    @Override
    public void close() {
        sender.close();
    }
}
