package io.chokepoint.cli;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.DevClusterOptions;
import io.chokepoint.devcluster.EmbeddedKafka;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.ComponentAcls;
import io.chokepoint.events.admin.ComponentAcls.Component;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The whole pipeline against a broker that only speaks SASL_SSL (SCRAM-SHA-512, certificates
 * made for this run) with an authorizer: each component is its own principal holding exactly
 * {@link ComponentAcls}, configured by its config file alone, in its own JVM (streams, alerts,
 * simulator) or through the CLI (topics, rules). A principal outside its ACLs and a wrong
 * password each get one clear line and exit 1, without a retry storm.
 */
class SecuredPipelineTest {

    private static final String STORE_PASSWORD = "store-secret-7";
    private static final Map<Component, String> PASSWORDS = new EnumMap<>(Map.of(
            Component.OPERATOR, "op-pw-1", Component.PRODUCERS, "prod-pw-2", Component.STREAMS, "streams-pw-3",
            Component.ALERTS, "alerts-pw-4", Component.RULES, "rules-pw-5"));

    @TempDir
    Path dir;

    private Path trustStore;
    private DevCluster cluster;
    private ChokepointProcesses children;

    @Test
    void everyComponentRunsOverSaslSslWithOnlyItsOwnAcls() throws Exception {
        TestCertificates authority = TestCertificates.newAuthority();
        trustStore = authority.writeTrustStore(dir.resolve("ca.p12"), STORE_PASSWORD);
        String client = EmbeddedKafka.ClientListener.NAME.toLowerCase(Locale.ROOT);
        Map<String, String> broker = new HashMap<>(authority.brokerListenerKeyStore(dir.resolve("broker.p12"), STORE_PASSWORD));
        broker.putAll(Map.of(
                "listener.name." + client + ".sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "listener.name." + client + ".scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                // the nodes' own PLAINTEXT loopback listeners (inter-broker, controller) are ANONYMOUS
                "super.users", "User:ANONYMOUS"));
        try (DevCluster started = DevCluster.start(DevClusterOptions.defaults()
                .withClientListener(new EmbeddedKafka.ClientListener("SASL_SSL", broker)))) {
            cluster = started;
            children = new ChokepointProcesses(dir);
            try {
                grantEveryComponentItsAcls();
                runPipeline();
                refusals();
            } finally {
                children.close();
            }
        }
    }

    private void grantEveryComponentItsAcls() throws Exception {
        Topics topics = cluster.config().topics();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.internalBootstrapServers()))) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (Component component : Component.values()) {
                users.add(new UserScramCredentialUpsertion(component.displayName(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORDS.get(component)));
                acls.addAll(ComponentAcls.of(component, "User:" + component.displayName(), topics,
                        "chokepoint-streams", "chokepoint-alerts"));
            }
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    private void runPipeline() throws Exception {
        assertThat(InProcessCli.run(config(Component.OPERATOR), "topics", "create").exit()).isZero();
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, io.chokepoint.rules.model.RuleSet.defaultRulesText());
        InProcessCli.Run applied = InProcessCli.run(config(Component.RULES), "rules", "apply", rules.toString());
        assertThat(applied.exit()).as(applied.err()).isZero();

        Path routing = dir.resolve("routing.yaml");
        Files.writeString(routing, new DemoRouting(false, List.of()).yaml());
        ChokepointProcesses.Child streams = children.start("streams", config(Component.STREAMS), "streams", "--state-dir", dir.resolve("state").toString(),
                "--http-port", "-1");
        ChokepointProcesses.Child alerts = children.start("alerts", config(Component.ALERTS), "alerts", "--set", "alerts.routing.file=" + routing,
                "--set", "alerts.http.port=-1");
        // ten story days per second: the April tariff escalation comes a few seconds in and its rule has no 'for'
        ChokepointProcesses.Child simulator = children.start("simulator", config(Component.PRODUCERS), "simulate", "--speed", "864000");

        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (Files.readAllLines(alerts.out()).stream().noneMatch(l -> l.contains(" FIRING ") && l.contains("tariff-escalation"))) {
            for (ChokepointProcesses.Child child : List.of(streams, alerts, simulator)) {
                // the simulator may finish the story (exit 0); anything else ending is a failure
                if (!child.process().isAlive() && (child != simulator || child.process().exitValue() != 0)) {
                    fail(child.name() + " exited (" + child.process().exitValue() + "):\n" + child.err());
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no tariff-escalation alert within 240 s; streams:\n" + streams.err() + "\nalerts:\n" + alerts.err()
                        + "\nsimulator:\n" + simulator.err());
            }
            Thread.sleep(250);
        }
        for (ChokepointProcesses.Child child : List.of(streams, alerts, simulator)) {
            assertThat(child.err()).as(child.name() + " stderr").doesNotContainIgnoringCase("not authorized")
                    .doesNotContainIgnoringCase("authentication failed").doesNotContain("\tat ");
        }
        for (ChokepointProcesses.Child child : List.of(streams, alerts, simulator)) {
            assertThat(child.err()).as("no secret in the " + child.name() + " logs")
                    .doesNotContain(PASSWORDS.get(Component.STREAMS), PASSWORDS.get(Component.ALERTS),
                            PASSWORDS.get(Component.PRODUCERS), STORE_PASSWORD);
        }
    }

    private void refusals() throws Exception {
        InProcessCli.Run outsideAcls = InProcessCli.run(config(Component.PRODUCERS), "rules", "apply", dir.resolve("rules.yaml").toString());
        assertThat(outsideAcls.exit()).as(outsideAcls.err()).isEqualTo(1);
        assertThat(outsideAcls.err().strip().lines()).as(outsideAcls.err()).hasSize(1);
        assertThat(outsideAcls.err()).containsIgnoringCase("not authorized").contains("alert-rules").doesNotContain("\tat ");

        long failedBefore = failedAuthentications();
        InProcessCli.Run wrongPassword = InProcessCli.run(config("operator", "not-the-password"), "topics", "create");
        assertThat(wrongPassword.exit()).as(wrongPassword.err()).isEqualTo(1);
        assertThat(wrongPassword.err().strip().lines()).as(wrongPassword.err()).hasSize(1);
        assertThat(wrongPassword.err()).contains("authentication failed for user 'operator' with SCRAM-SHA-512")
                .doesNotContain("not-the-password").doesNotContain("\tat ");
        assertThat(failedAuthentications() - failedBefore).as("failed logins for one command").isBetween(1L, 3L);

        Path strangersCa = TestCertificates.newAuthority().writeTrustStore(dir.resolve("strangers-ca.p12"), STORE_PASSWORD);
        InProcessCli.Run unknownCa = InProcessCli.run(config("operator", PASSWORDS.get(Component.OPERATOR), strangersCa), "topics", "create");
        assertThat(unknownCa.exit()).as(unknownCa.err()).isEqualTo(1);
        assertThat(unknownCa.err().strip().lines()).as(unknownCa.err()).hasSize(1);
        assertThat(unknownCa.err()).contains("the TLS handshake failed").contains("kafka.ssl.truststore")
                .doesNotContain(STORE_PASSWORD).doesNotContain("\tat ");
    }

    /** Failed SASL authentications the broker counted on its client listener. */
    private static long failedAuthentications() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long total = 0;
        for (ObjectName name : server.queryNames(new ObjectName("kafka.server:type=socket-server-metrics,listener="
                + EmbeddedKafka.ClientListener.NAME + ",networkProcessor=*"), null)) {
            total += Math.round((Double) server.getAttribute(name, "failed-authentication-total"));
        }
        return total;
    }

    private Path config(Component component) throws IOException {
        return config(component.displayName(), PASSWORDS.get(component));
    }

    private Path config(String user, String password) throws IOException {
        return config(user, password, trustStore);
    }

    private Path config(String user, String password, Path trusted) throws IOException {
        Path file = dir.resolve(user + "-" + Integer.toHexString((password + trusted).hashCode()) + ".yaml");
        Files.writeString(file, """
                bootstrap.servers: %s
                schema.registry.url: %s
                kafka:
                  security.protocol: SASL_SSL
                  sasl.mechanism: SCRAM-SHA-512
                  sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";'
                  ssl.truststore.location: %s
                  ssl.truststore.password: %s
                  ssl.truststore.type: PKCS12
                """.formatted(cluster.bootstrapServers(), cluster.schemaRegistryUrl(), user, password, trusted, STORE_PASSWORD));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
