package io.chokepoint.dashboard.stream;

/** One server-sent event: its id (for {@code Last-Event-ID}), its type and its JSON data. */
public record StreamEvent(String id, String type, String data) {

    /** The event in {@code text/event-stream} framing. */
    public String frame() {
        StringBuilder sb = new StringBuilder(data.length() + 48);
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        sb.append("event: ").append(type).append('\n');
        sb.append("data: ").append(data).append("\n\n");
        return sb.toString();
    }
}
