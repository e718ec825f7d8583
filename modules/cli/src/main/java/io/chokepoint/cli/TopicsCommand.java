package io.chokepoint.cli;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "topics", description = "Manage Chokepoint's Kafka topics.",
        subcommands = TopicsCommand.Create.class,
        footer = {"", "Example:", "  chokepoint topics create --bootstrap-servers kafka:9092 --schema-registry-url http://sr:8081"})
final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create every catalogue topic with its settings (idempotent), then check that existing",
                    "topics agree: partitions, cleanup policy, and co-partitioning of the inputs."},
            footer = {"", "Example:", "  chokepoint topics create --set topic.prefix=staging- --set topic.replication.factor=3"})
    static final class Create implements Callable<Integer> {

        public ChokepointConfig config;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Topics topics = config.topics();
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                TopicProvisioner.Report report = new TopicProvisioner(admin, topics, config.replicationFactor()).ensureAll();
                print(spec.commandLine().getOut(), topics, report);
            }
            return 0;
        }

        static void print(PrintWriter out, Topics topics, TopicProvisioner.Report report) {
            out.printf("%-40s %-10s %5s %-8s %s%n", "TOPIC", "ROLE", "PARTS", "CLEANUP", "STATUS");
            for (Topic<?, ?> topic : topics.all()) {
                out.printf("%-40s %-10s %5d %-8s %s%n", topic.name(), topic.role().name().toLowerCase(),
                        topic.partitions(), topic.cleanupPolicy().kafkaName(),
                        report.outcomes().get(topic.name()) == TopicProvisioner.Outcome.CREATED ? "created" : "present, settings agree");
            }
            out.flush();
        }
    }
}
