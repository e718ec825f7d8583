package io.chokepoint.alerts.delivery;

import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.DisruptionAlert;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One readable line per alert on standard output, for a person watching a terminal:
 * <pre>2025-04-12 06:00Z FIRING   CRITICAL 850511 Rare-earth permanent magnets — rare-earth-licence-stall: p95_delay_hours 61.2 (threshold 48) …</pre>
 * The time is the alert's event time (story time in a replay, the wall clock live).
 */
public final class ConsoleReceiver implements Receiver {

    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String name;
    private final PrintStream out;

    public ConsoleReceiver(String name, PrintStream out) {
        this.name = name;
        this.out = out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void deliver(Notification notification) throws DeliveryFailure {
        StringBuilder lines = new StringBuilder();
        for (PendingAlert pending : notification.alerts()) {
            lines.append(line(pending.alert(), notification.repeat())).append('\n');
        }
        out.print(lines);
        out.flush();
        if (out.checkError()) {
            throw DeliveryFailure.retryable("cannot write to standard output", null);
        }
    }

    static String line(DisruptionAlert a, boolean reminder) {
        String commodity = a.getHsCode() + (a.getCommodityName().isEmpty() ? "" : " " + a.getCommodityName());
        String explanation = a.getExplanation().isBlank() ? "" : " — " + a.getExplanation().strip().replaceAll("\\s+", " ");
        return String.format(Locale.ROOT, "%s %-8s %-8s %s — %s: %s %s (threshold %s)%s%s",
                EVENT_TIME.format(a.getEventAt()), a.getState(), a.getSeverity(), commodity, a.getRuleId(), a.getMetric(),
                Payloads.number(a.getObservedValue()), Payloads.number(a.getThreshold()),
                a.getState() == AlertState.FIRING && reminder ? " (still firing)" : "", explanation);
    }
}
