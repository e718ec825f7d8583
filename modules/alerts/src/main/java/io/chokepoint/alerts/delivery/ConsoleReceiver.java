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
 * <pre>2025-04-21 06:00Z FIRING   CRITICAL rare-earth-magnet-delay-p95 — Permanent magnets (850511): p95 delay 81.5 h &gt; 72 h</pre>
 * The text is the rule's {@code summary} annotation (the figures when it has none); the time is the
 * alert's event time (story time in a replay, the wall clock live). The full explanation is in the
 * JSON payload ({@code --json}, webhooks).
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
        // the rule's summary annotation is written for people; the figures stand in when a rule has none
        String summary = a.getAnnotations() == null ? null : a.getAnnotations().entrySet().stream()
                .filter(e -> e.getKey().toString().equals("summary") && e.getValue() != null && !e.getValue().toString().isBlank())
                .map(e -> e.getValue().toString().strip()).findFirst().orElse(null);
        String what = summary != null ? summary
                : a.getHsCode() + (a.getCommodityName().isEmpty() ? "" : " " + a.getCommodityName()) + ": " + a.getMetric() + " "
                        + Payloads.number(a.getObservedValue()) + " (threshold " + Payloads.number(a.getThreshold()) + ")";
        return String.format(Locale.ROOT, "%s %-8s %-8s %s — %s%s", EVENT_TIME.format(a.getEventAt()), a.getState(), a.getSeverity(),
                a.getRuleId(), what.replaceAll("\\s+", " "), a.getState() == AlertState.FIRING && reminder ? " (still firing)" : "");
    }
}
