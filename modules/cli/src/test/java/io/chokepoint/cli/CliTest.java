package io.chokepoint.cli;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DevClusterExtension.class)
class CliTest {

    private DevCluster cluster;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp(DevCluster cluster) {
        this.cluster = cluster;
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine commandLine = ChokepointCommand.commandLine(env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String[] clusterFlags(String prefix, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(more));
        args.addAll(List.of("--bootstrap-servers", cluster.bootstrapServers(),
                "--schema-registry-url", cluster.schemaRegistryUrl(), "--set", "topic.prefix=" + prefix));
        return args.toArray(String[]::new);
    }

    @Test
    void topicsCreateIsIdempotentAndPrintsEveryTopic() {
        String prefix = "cli" + UUID.randomUUID().toString().substring(0, 6) + "-";

        assertThat(run(Map.of(), clusterFlags(prefix, "topics", "create"))).isZero();
        assertThat(out.toString()).contains(prefix + "shipment-milestones").contains("created");

        out.getBuffer().setLength(0);
        assertThat(run(Map.of(), clusterFlags(prefix, "topics", "create"))).isZero();
        assertThat(out.toString()).contains("present, settings agree").doesNotContain(" created");
    }

    @Test
    void aMismatchingExistingTopicFailsWithOneClearMessage() throws Exception {
        String prefix = "clx" + UUID.randomUUID().toString().substring(0, 6) + "-";
        try (Admin admin = Admin.create(cluster.config().kafkaClientProperties())) {
            admin.createTopics(List.of(new NewTopic(prefix + "export-licenses", 3, (short) 1))).all().get();
        }

        assertThat(run(Map.of(), clusterFlags(prefix, "topics", "create"))).isEqualTo(1);
        assertThat(err.toString()).contains("'" + prefix + "export-licenses' has 3 partitions").contains("co-partitioned")
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingSettingIsAUserErrorWithoutStackTrace() {
        assertThat(run(Map.of(), "topics", "create", "--bootstrap-servers", cluster.bootstrapServers())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo(
                "chokepoint: configuration 'schema.registry.url' is required but not set (config file, CHOKEPOINT_SCHEMA_REGISTRY_URL, or a flag)");
    }

    @Test
    void aDemoWithAnUnknownScenarioOrANegativeSpeedFailsBeforeStartingAnything() {
        assertThat(run(Map.of(), "demo", "--scenario", "trade-war-2052", "--http-port", "-1")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo(
                "chokepoint: unknown scenario 'trade-war-2052': use one of trade-war-2025, calm-2025 or the path of a YAML scenario file");
        assertThat(err.toString()).doesNotContain("Starting the embedded Kafka broker");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "demo", "--speed", "-5", "--http-port", "-1")).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("chokepoint: --speed must be 0 (flat out) or a positive number of story seconds per second, got -5.0");
    }

    @Test
    void configShowLayersEnvironmentAndFlagsAndRedactsSecrets() {
        int exit = run(Map.of("CHOKEPOINT_TOPIC_PREFIX", "env-", "CHOKEPOINT_BASIC_AUTH_USER_INFO", "svc:hunter2"),
                "config", "show", "--set", "kafka.ssl.keystore.password=hunter2", "--bootstrap-servers", "k:9092");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("topic.prefix=env-    # environment")
                .contains("bootstrap.servers=k:9092    # flag")
                .contains("kafka.ssl.keystore.password=[redacted]")
                .contains("basic.auth.user.info=[redacted]")
                .doesNotContain("hunter2");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        CommandLine root = ChokepointCommand.commandLine(Map.of());
        assertThat(allCommands(root)).allSatisfy(cl -> {
            String usage = cl.getUsageMessage();
            if (cl.getSubcommands().isEmpty() && !cl.getCommandName().equals("help")) {
                assertThat(usage).as(cl.getCommandName()).contains("Example");
            }
        });
    }

    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new java.util.ArrayList<>(List.of(root));
        root.getSubcommands().values().forEach(sub -> all.addAll(allCommands(sub)));
        return all;
    }
}
