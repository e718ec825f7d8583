package io.chokepoint.rules.offline;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay's object stores against Kafka Streams' own in-memory stores: the same random
 * operations on both, every answer compared. Keys include non-ASCII and supplementary characters,
 * whose UTF-8 order differs from Java's string order.
 */
class ObjectStoresTest {

    private static final String[] KEYS = {"a", "a|1", "a|2", "ab", "b", "b|x", "é", "z", "\uD83D\uDE00", "\uFFFD", "\uE000", ""};

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

    private <S extends StateStore> S init(S store) {
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    @Test
    void key_value_store_answers_as_kafka_streams_in_memory_store() {
        KeyValueStore<String, String> kafka = init(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("kafka"),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build());
        KeyValueStore<String, String> objects = init(new ObjectKeyValueStore<>("objects"));
        Random random = new Random(7);
        for (int step = 0; step < 5_000; step++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            String other = KEYS[random.nextInt(KEYS.length)];
            String at = "step " + step + " key '" + key + "' other '" + other + "'";
            switch (random.nextInt(9)) {
                case 0, 1 -> {
                    String value = random.nextInt(6) == 0 ? null : "v" + step;
                    kafka.put(key, value);
                    objects.put(key, value);
                }
                case 2 -> assertThat(objects.delete(key)).as(at).isEqualTo(kafka.delete(key));
                case 3 -> assertThat(objects.putIfAbsent(key, "p" + step)).as(at).isEqualTo(kafka.putIfAbsent(key, "p" + step));
                case 4 -> assertThat(drain(objects.range(key, other))).as(at).isEqualTo(drain(kafka.range(key, other)));
                case 5 -> assertThat(drain(objects.reverseRange(key, other))).as(at).isEqualTo(drain(kafka.reverseRange(key, other)));
                case 6 -> {
                    if (!key.isEmpty()) { // Kafka's in-memory store fails on an empty prefix; nothing scans with one
                        assertThat(drain(objects.prefixScan(key, new StringSerializer())))
                                .as(at).isEqualTo(drain(kafka.prefixScan(key, new StringSerializer())));
                    }
                }
                case 7 -> {
                    assertThat(drain(objects.all())).as(at).isEqualTo(drain(kafka.all()));
                    assertThat(drain(objects.reverseAll())).as(at).isEqualTo(drain(kafka.reverseAll()));
                    assertThat(objects.approximateNumEntries()).as(at).isEqualTo(kafka.approximateNumEntries());
                }
                default -> assertThat(objects.get(key)).as(at).isEqualTo(kafka.get(key));
            }
        }
        assertThat(drain(objects.all())).hasSizeGreaterThan(3);
    }

    @Test
    void an_iterator_sees_a_key_deleted_after_it_was_made_as_kafka_streams_does() {
        KeyValueStore<String, String> kafka = init(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("kafka"),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build());
        KeyValueStore<String, String> objects = init(new ObjectKeyValueStore<>("objects"));
        for (String k : List.of("a", "b", "c")) {
            kafka.put(k, k);
            objects.put(k, k);
        }
        List<String> seenKafka = new ArrayList<>();
        List<String> seenObjects = new ArrayList<>();
        try (KeyValueIterator<String, String> k = kafka.all(); KeyValueIterator<String, String> o = objects.all()) {
            kafka.delete("b");
            objects.delete("b");
            kafka.put("bb", "new");
            objects.put("bb", "new");
            k.forEachRemaining(kv -> seenKafka.add(kv.key + "=" + kv.value));
            o.forEachRemaining(kv -> seenObjects.add(kv.key + "=" + kv.value));
        }
        assertThat(seenObjects).isEqualTo(seenKafka);
    }

    @Test
    void window_store_answers_as_kafka_streams_in_memory_store_across_retention() {
        long retention = 50;
        WindowStore<String, String> kafka = init(Stores.windowStoreBuilder(Stores.inMemoryWindowStore("kafka",
                Duration.ofMillis(retention), Duration.ofMillis(10), false), Serdes.String(), Serdes.String()).withLoggingDisabled().build());
        WindowStore<String, String> objects = init(new ObjectWindowStore<>("objects", retention));
        Random random = new Random(11);
        long time = 0;
        int mostWindows = 0;
        for (int step = 0; step < 5_000; step++) {
            // time mostly creeps forward, sometimes jumps, and windows are written late and early
            time += random.nextInt(100) == 0 ? random.nextInt(80) : random.nextInt(2);
            long start = Math.max(0, time - random.nextInt(70));
            long other = Math.max(0, time - random.nextInt(90));
            String key = KEYS[random.nextInt(KEYS.length)];
            String keyTo = KEYS[random.nextInt(KEYS.length)];
            String at = "step " + step + " key '" + key + "' at " + start + " / " + other;
            switch (random.nextInt(8)) {
                case 0, 1, 2 -> {
                    String value = random.nextInt(6) == 0 ? null : "v" + step;
                    kafka.put(key, value, start);
                    objects.put(key, value, start);
                }
                case 3 -> assertThat(objects.fetch(key, start)).as(at).isEqualTo(kafka.fetch(key, start));
                case 4 -> assertThat(drain(objects.fetch(key, Math.min(start, other), Math.max(start, other))))
                        .as(at).isEqualTo(drain(kafka.fetch(key, Math.min(start, other), Math.max(start, other))));
                case 5 -> assertThat(drain(objects.backwardFetch(key, other, start)))
                        .as(at).isEqualTo(drain(kafka.backwardFetch(key, other, start)));
                case 6 -> {
                    if (ObjectStore.utf8Order(key, keyTo) <= 0) {
                        assertThat(startsOf(objects.fetch(key, keyTo, other, start))).as(at)
                                .isEqualTo(startsOf(kafka.fetch(key, keyTo, other, start)));
                    }
                }
                default -> {
                    List<String> all = startsOf(kafka.all());
                    mostWindows = Math.max(mostWindows, all.size());
                    assertThat(startsOf(objects.all())).as(at).isEqualTo(all);
                    assertThat(startsOf(objects.fetchAll(other, start))).as(at).isEqualTo(startsOf(kafka.fetchAll(other, start)));
                }
            }
        }
        assertThat(mostWindows).as("windows held at once, at most").isGreaterThan(20);
    }

    private static <K, V> List<String> drain(KeyValueIterator<K, V> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(kv.key + "=" + kv.value));
        }
        return out;
    }

    /** Key, window start and value: the window's end is not kept by the object store. */
    private static List<String> startsOf(KeyValueIterator<Windowed<String>, String> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, String> kv = it.next();
                out.add(kv.key.key() + "@" + kv.key.window().start() + "=" + kv.value);
            }
        }
        return out;
    }
}
