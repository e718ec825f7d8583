package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.routing.ReceiverSpec;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.Map;

/** Slack-compatible incoming webhook (also understood by Mattermost and Rocket.Chat). */
public final class SlackReceiver implements Receiver {

    private final String name;
    private final HttpSender sender;
    private final Payloads.ReceiverSlackOptions options;

    public SlackReceiver(String name, ReceiverSpec.Slack spec, Clock clock) {
        this.name = name;
        this.sender = new HttpSender(name, spec.url(), spec.signingSecret(), spec.connectTimeout(), spec.readTimeout(), Map.of(), clock);
        this.options = new Payloads.ReceiverSlackOptions(spec.channel(), spec.username());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Notification notification) throws DeliveryFailure {
        sender.post(Payloads.slack(notification, options), notification.id());
    }

    @Override
    public CompletableFuture<Void> deliverAsync(Notification notification, Executor blocking) {
        return sender.postAsync(Payloads.slack(notification, options), notification.id());
    }

    @Override
    public void close() {
        sender.close();
    }
}
