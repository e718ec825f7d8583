package io.chokepoint.dashboard.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamTest {

    private final EventStream stream = new EventStream("e1", 4, 2, 5);

    @Test
    void aClientResumingAfterAnIdGetsExactlyTheLaterEventsInOrder() throws Exception {
        List<StreamEvent> sent = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            sent.add(stream.publish("stats", "{\"n\":" + i + "}"));
        }
        EventStream.Subscription s = stream.subscribe(sent.get(1).id()).orElseThrow();
        assertThat(drain(s)).extracting(StreamEvent::id).containsExactly("e1-3", "e1-4");
        stream.publish("stats", "{\"n\":5}");
        assertThat(drain(s)).extracting(StreamEvent::id).containsExactly("e1-5");
        EventStream.Subscription upToDate = stream.subscribe("e1-5").orElseThrow();
        assertThat(drain(upToDate)).isEmpty();
    }

    @Test
    void anIdFromAnotherInstanceOrTooOldForTheBufferAsksTheClientToReload() throws Exception {
        for (int i = 1; i <= 8; i++) {
            stream.publish("stats", "{}");
        }
        assertThat(drain(stream.subscribe("other-3").orElseThrow())).extracting(StreamEvent::type).containsExactly("reset");
        // the buffer keeps e1-4 … e1-8: resuming after e1-2 would miss e1-3
        assertThat(drain(stream.subscribe("e1-2").orElseThrow())).extracting(StreamEvent::type).containsExactly("reset");
    }

    @Test
    void theOldestBufferedEventIsStillResumable() throws Exception {
        for (int i = 1; i <= 8; i++) {
            stream.publish("stats", "{}");
        }
        EventStream.Subscription s = stream.subscribe("e1-3").orElseThrow();
        assertThat(drain(s)).extracting(StreamEvent::id).containsExactly("e1-4", "e1-5", "e1-6", "e1-7", "e1-8");
    }

    @Test
    void aSlowClientIsDroppedWithoutSlowingThePublisherOrTheOtherClients() throws Exception {
        EventStream.Subscription slow = stream.subscribe(null).orElseThrow();
        EventStream.Subscription fast = stream.subscribe(null).orElseThrow();
        List<StreamEvent> fastGot = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            stream.publish("stats", "{}");
            fastGot.addAll(drain(fast));
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("publish never waits for a client").isLessThan(1_000);
        assertThat(slow.open()).isFalse();
        assertThat(stream.droppedClients()).isEqualTo(1);
        assertThat(stream.clients()).isEqualTo(1);
        assertThat(fastGot).hasSize(10);
        assertThat(fast.open()).isTrue();
    }

    @Test
    void clientsBeyondTheLimitAreRefusedAndClosingEndsEverySubscription() {
        EventStream.Subscription one = stream.subscribe(null).orElseThrow();
        EventStream.Subscription two = stream.subscribe(null).orElseThrow();
        assertThat(stream.subscribe(null)).isEmpty();
        one.close();
        assertThat(stream.subscribe(null)).isPresent();
        stream.close();
        assertThat(two.open()).isFalse();
        assertThat(stream.clients()).isZero();
    }

    private static List<StreamEvent> drain(EventStream.Subscription s) throws InterruptedException {
        List<StreamEvent> out = new ArrayList<>();
        StreamEvent e;
        while ((e = s.next(0, TimeUnit.MILLISECONDS)) != null) {
            out.add(e);
        }
        return out;
    }
}
