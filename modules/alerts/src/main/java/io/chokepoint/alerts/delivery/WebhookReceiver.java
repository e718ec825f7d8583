package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.routing.ReceiverSpec;

import java.time.Clock;

/** Generic JSON webhook: the Alertmanager-like payload, signed, with the idempotency key. */
public final class WebhookReceiver implements Receiver {

    private final String name;
    private final HttpSender sender;

    public WebhookReceiver(String name, ReceiverSpec.Webhook spec, Clock clock) {
        this.name = name;
        this.sender = new HttpSender(spec.url(), spec.signingSecret(), spec.connectTimeout(), spec.readTimeout(), spec.headers(), clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Notification notification) throws DeliveryFailure {
        sender.post(Payloads.webhook(notification), notification.id());
    }
}
