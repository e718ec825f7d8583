package io.chokepoint.cli;

import io.chokepoint.events.Topic;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.KafkaReachability;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "topics", description = "Manage Chokepoint's Kafka topics.",
        subcommands = TopicsCommand.Create.class,
        footer = {"", "Example:", "  chokepoint topics create --bootstrap-servers kafka:9092 --schema-registry-url http://sr:8081"})
final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create every catalogue topic with its settings (idempotent), then check that existing "
                    + "topics agree: partitions, cleanup policy, and co-partitioning of the inputs."},
            footer = {"", "Example:", "  chokepoint topics create --set topic.prefix=staging- --set topic.replication.factor=3"})
    static final class Create implements Callable<Integer> {

        public ChokepointConfig config;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Topics topics = config.topics();
            KafkaReachability.require(config);
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                TopicProvisioner.Report report = new TopicProvisioner(admin, topics, config.replicationFactor()).ensureAll();
                print(spec.commandLine().getOut(), topics, report);
            }
            return 0;
        }

        static void print(PrintWriter out, Topics topics, TopicProvisioner.Report report) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"TOPIC", "ROLE", "PARTS", "CLEANUP", "RETENTION", "STATUS"});
            for (Topic<?, ?> topic : topics.all()) {
                rows.add(new String[]{topic.name(), topic.role().name().toLowerCase(Locale.ROOT), Integer.toString(topic.partitions()),
                        topic.cleanupPolicy().kafkaName(), topic.retention().toString(),
                        report.outcomes().get(topic.name()) == TopicProvisioner.Outcome.CREATED ? "created" : "present, settings agree"});
            }
            // columns as wide as their widest cell, so a long name or role never pushes the next column out of line
            int[] widths = new int[rows.get(0).length];
            rows.forEach(row -> {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            });
            String format = "%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %-" + widths[3] + "s  %-" + widths[4] + "s  %s%n";
            rows.forEach(row -> out.printf(format, (Object[]) row));
            out.flush();
        }
    }
}
