package io.chokepoint.events.admin;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates every catalogue topic with its settings, idempotently, and checks that topics which
 * already exist agree with the catalogue — above all that the inputs are co-partitioned, since
 * the topologies join them by HS code without repartitioning.
 */
public final class TopicProvisioner {

    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final Topics topics;
    private final short replicationFactor;

    /** What happened to each topic. */
    public enum Outcome { CREATED, ALREADY_PRESENT }

    public record Report(Map<String, Outcome> outcomes) {
        public List<String> created() {
            return outcomes.entrySet().stream().filter(e -> e.getValue() == Outcome.CREATED).map(Map.Entry::getKey).toList();
        }
    }

    /** An existing topic contradicts the catalogue; the message names the topic and both values. */
    public static final class TopicMismatchException extends RuntimeException {
        public TopicMismatchException(String message) {
            super(message);
        }
    }

    public TopicProvisioner(Admin admin, Topics topics, short replicationFactor) {
        this.admin = admin;
        this.topics = topics;
        this.replicationFactor = replicationFactor;
    }

    /** Creates every catalogue topic that is missing, then checks that all of them agree with the catalogue. */
    public Report ensureAll() {
        return ensure(topics.all());
    }

    /**
     * Creates those of {@code wanted} (catalogue topics) that are missing, then checks that they
     * agree with the catalogue: for a component that needs only its own topics, and under
     * least-privilege ACLs may neither see nor create the others.
     */
    public Report ensure(List<Topic<?, ?>> wanted) {
        Report report = createMissing(admin, wanted, replicationFactor);
        verify(wanted);
        return report;
    }

    /** Creates those of {@code wanted} that are missing, with their catalogue settings; existing ones are left as they are. */
    public static Report createMissing(Admin admin, List<Topic<?, ?>> wanted, short replicationFactor) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Map<String, KafkaFuture<Void>> creations = new LinkedHashMap<>();
        // A principal without Create (a component under least-privilege ACLs) must start when an
        // operator created its topics: Kafka refuses the creation of an existing topic for want of
        // Create before it says the topic exists, so only missing topics are created.
        Set<String> present = whenVisible(() -> admin.listTopics().names(), "list topics");
        for (Topic<?, ?> topic : wanted) {
            if (present.contains(topic.name())) {
                outcomes.put(topic.name(), Outcome.ALREADY_PRESENT);
                continue;
            }
            NewTopic newTopic = new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs());
            creations.put(topic.name(), admin.createTopics(List.of(newTopic)).values().get(topic.name()));
        }
        for (Map.Entry<String, KafkaFuture<Void>> creation : creations.entrySet()) {
            try {
                creation.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                outcomes.put(creation.getKey(), Outcome.CREATED);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    outcomes.put(creation.getKey(), Outcome.ALREADY_PRESENT);
                } else if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw new IllegalStateException("cannot create topic '" + creation.getKey()
                            + "': Kafka did not answer in time; check bootstrap.servers and that the brokers are up", e.getCause());
                } else if (e.getCause() instanceof AuthorizationException) {
                    throw new IllegalStateException("cannot create topic '" + creation.getKey() + "': this principal is not authorized"
                            + " to create it; run 'chokepoint topics create' as an operator first, or grant Create on it", e.getCause());
                } else {
                    throw new IllegalStateException("cannot create topic '" + creation.getKey() + "': " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic '" + creation.getKey() + "' took over " + TIMEOUT_SECONDS
                        + " s; is the broker reachable?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
        return new Report(outcomes);
    }

    /** Fails when an existing topic disagrees with the catalogue (partitions, cleanup policy, co-partitioning). */
    public void verify() {
        verify(topics.all());
    }

    private void verify(List<Topic<?, ?>> wanted) {
        List<String> names = wanted.stream().map(Topic::name).toList();
        Map<String, TopicDescription> descriptions = whenVisible(() -> admin.describeTopics(names).allTopicNames(), "describe topics " + names);
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = whenVisible(() -> admin.describeConfigs(resources).all(), "describe the configs of topics " + names);

        List<String> problems = new ArrayList<>();
        for (Topic<?, ?> topic : wanted) {
            int actual = descriptions.get(topic.name()).partitions().size();
            if (actual != topic.partitions()) {
                problems.add("topic '" + topic.name() + "' has " + actual + " partitions, the catalogue expects "
                        + topic.partitions() + " (topic.partitions)");
            }
            String policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).get("cleanup.policy").value();
            if (!policies(policy).containsAll(policies(topic.cleanupPolicy().kafkaName()))) {
                problems.add("topic '" + topic.name() + "' has cleanup.policy=" + policy + ", the catalogue expects "
                        + topic.cleanupPolicy().kafkaName());
            }
        }
        Map<String, Integer> inputPartitions = new LinkedHashMap<>();
        topics.inputs().stream().filter(wanted::contains).forEach(t -> inputPartitions.put(t.name(), descriptions.get(t.name()).partitions().size()));
        if (inputPartitions.values().stream().distinct().count() > 1) {
            problems.add("input topics are not co-partitioned " + inputPartitions
                    + ": every input keyed by HS code must have the same partition count, or joins go wrong");
        }
        if (!problems.isEmpty()) {
            throw new TopicMismatchException(String.join("\n", problems));
        }
    }

    /** {@code compact,delete} as its parts, in whatever order Kafka lists them. */
    private static Set<String> policies(String cleanupPolicy) {
        return Set.copyOf(List.of(cleanupPolicy.replace(" ", "").split(",")));
    }

    /**
     * Fresh topics reach every broker's metadata a moment after creation, and a describe call may
     * land on a broker that has not seen them yet: retry that case instead of failing.
     */
    private static <T> T whenVisible(java.util.function.Supplier<KafkaFuture<T>> call, String action) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return call.get().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot " + action + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("could not " + action + " within " + TIMEOUT_SECONDS + " s; is the broker reachable?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
