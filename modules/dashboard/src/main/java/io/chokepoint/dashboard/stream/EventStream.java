package io.chokepoint.dashboard.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live feed's fan-out: events are numbered ({@code <epoch>-<sequence>}), kept in a bounded
 * resume buffer and offered to every subscriber's bounded queue. {@link #publish} never blocks:
 * a subscriber whose queue is full is dropped (its connection closes and the browser reconnects
 * with {@code Last-Event-ID}), so a slow client can never slow the feed, let alone the streams.
 */
public final class EventStream {

    private final String epoch;
    private final int clientQueue;
    private final int maxClients;
    private final int resumeBuffer;
    private final ArrayDeque<StreamEvent> recent = new ArrayDeque<>();
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    private final AtomicLong dropped = new AtomicLong();
    private long sequence;

    public EventStream(String epoch, int clientQueue, int maxClients, int resumeBuffer) {
        this.epoch = epoch;
        this.clientQueue = clientQueue;
        this.maxClients = maxClients;
        this.resumeBuffer = resumeBuffer;
    }

    /** Numbers the event, keeps it for resuming clients and offers it to every subscriber. */
    public StreamEvent publish(String type, String data) {
        StreamEvent event;
        synchronized (recent) {
            event = new StreamEvent(epoch + "-" + (++sequence), type, data);
            recent.addLast(event);
            if (recent.size() > resumeBuffer) {
                recent.removeFirst();
            }
            // under the same lock as the numbering, so every queue sees events in id order
            for (Subscription s : subscribers) {
                s.offer(event);
            }
        }
        return event;
    }

    /**
     * A new subscriber. With a {@code lastEventId} this stream issued and still holds, the queue
     * starts with every later event; with one it no longer holds (another instance's, or too old)
     * it starts with a {@code reset} event telling the client to reload its snapshot.
     *
     * @return empty when {@code maxClients} are connected already
     */
    public java.util.Optional<Subscription> subscribe(String lastEventId) {
        synchronized (recent) {
            if (subscribers.size() >= maxClients) {
                return java.util.Optional.empty();
            }
            List<StreamEvent> replay = replayAfter(lastEventId);
            Subscription s = new Subscription(Math.max(clientQueue, replay.size() + 1));
            replay.forEach(s::offer);
            subscribers.add(s);
            return java.util.Optional.of(s);
        }
    }

    private List<StreamEvent> replayAfter(String lastEventId) {
        List<StreamEvent> replay = new ArrayList<>();
        if (lastEventId == null || lastEventId.isBlank()) {
            return replay;
        }
        long after = sequenceOf(lastEventId);
        long oldest = recent.isEmpty() ? sequence + 1 : sequenceOf(recent.peekFirst().id());
        if (after < 0 || after > sequence || after + 1 < oldest) {
            replay.add(new StreamEvent(null, "reset", "{\"reason\":\"cannot resume after " + quote(lastEventId)
                    + "; reload the snapshot\"}"));
            return replay;
        }
        for (StreamEvent e : recent) {
            if (sequenceOf(e.id()) > after) {
                replay.add(e);
            }
        }
        return replay;
    }

    /** The sequence of one of this stream's ids, -1 for any other id. */
    private long sequenceOf(String id) {
        int dash = id.lastIndexOf('-');
        if (dash <= 0 || !id.substring(0, dash).equals(epoch)) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "").replace("\"", "") + "'";
    }

    /** Ends every subscription (at shutdown): their handlers return and the connections close. */
    public void close() {
        for (Subscription s : subscribers) {
            s.end();
        }
        subscribers.clear();
    }

    public int clients() {
        return subscribers.size();
    }

    /** Subscribers dropped because they fell {@code clientQueue} events behind. */
    public long droppedClients() {
        return dropped.get();
    }

    /** One connected client's queue; its HTTP handler drains it and writes the events out. */
    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<StreamEvent> queue;
        private volatile boolean overflowed;
        private volatile boolean ended;

        private Subscription(int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        private void offer(StreamEvent event) {
            if (!overflowed && !queue.offer(event)) {
                overflowed = true;
                dropped.incrementAndGet();
                subscribers.remove(this);
            }
        }

        /** The next event, null after {@code timeout} without one (time for a heartbeat). */
        public StreamEvent next(long timeout, TimeUnit unit) throws InterruptedException {
            return queue.poll(timeout, unit);
        }

        /** False once the client fell too far behind (the queue holds a gap) or the stream closed: stop writing. */
        public boolean open() {
            return !overflowed && !ended;
        }

        private void end() {
            ended = true;
            queue.offer(new StreamEvent(null, "end", "{}")); // wakes the handler; if full it is awake anyway
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
