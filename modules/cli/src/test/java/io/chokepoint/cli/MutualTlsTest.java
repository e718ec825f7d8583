package io.chokepoint.cli;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.DevClusterOptions;
import io.chokepoint.devcluster.EmbeddedKafka;
import io.chokepoint.events.Topics;
import io.chokepoint.events.admin.ComponentAcls;
import io.chokepoint.events.admin.ComponentAcls.Component;
import io.chokepoint.rules.model.RuleSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutual TLS instead of SCRAM: the broker requires a client certificate and takes the principal
 * from it ({@code User:CN=…}), so a component is who its key store says, by configuration alone.
 */
class MutualTlsTest {

    private static final String STORE_PASSWORD = "mtls-store-secret-9";

    @TempDir
    Path dir;

    private TestCertificates authority;
    private Path trustStore;
    private DevCluster cluster;

    @Test
    void theClientCertificateIsThePrincipal() throws Exception {
        authority = TestCertificates.newAuthority();
        trustStore = authority.writeTrustStore(dir.resolve("ca.p12"), STORE_PASSWORD);
        String client = EmbeddedKafka.ClientListener.NAME.toLowerCase(Locale.ROOT);
        Map<String, String> broker = new HashMap<>(authority.brokerListenerKeyStore(dir.resolve("broker.p12"), STORE_PASSWORD));
        broker.putAll(Map.of(
                "listener.name." + client + ".ssl.truststore.location", trustStore.toString(),
                "listener.name." + client + ".ssl.truststore.password", STORE_PASSWORD,
                "listener.name." + client + ".ssl.truststore.type", "PKCS12",
                "listener.name." + client + ".ssl.client.auth", "required",
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:ANONYMOUS"));
        try (DevCluster started = DevCluster.start(DevClusterOptions.defaults()
                .withClientListener(new EmbeddedKafka.ClientListener("SSL", broker)))) {
            cluster = started;
            grant(Component.OPERATOR, "User:CN=operator");
            grant(Component.RULES, "User:CN=rules");

            Path operator = config(authority.writeClientKeyStore(dir.resolve("operator.p12"), STORE_PASSWORD, "operator"));
            InProcessCli.Run created = InProcessCli.run(operator, "topics", "create");
            assertThat(created.exit()).as(created.err()).isZero();

            Path rules = dir.resolve("rules.yaml");
            Files.writeString(rules, RuleSet.defaultRulesText());
            Path rulesUser = config(authority.writeClientKeyStore(dir.resolve("rules.p12"), STORE_PASSWORD, "rules"));
            InProcessCli.Run applied = InProcessCli.run(rulesUser, "rules", "apply", rules.toString());
            assertThat(applied.exit()).as(applied.err()).isZero();

            // the operator's certificate names the operator, who may create topics but not publish rules
            InProcessCli.Run operatorPublishing = InProcessCli.run(operator, "rules", "apply", rules.toString());
            assertThat(operatorPublishing.exit()).as(operatorPublishing.err()).isEqualTo(1);
            assertThat(operatorPublishing.err().strip().lines()).as(operatorPublishing.err()).hasSize(1);
            assertThat(operatorPublishing.err()).containsIgnoringCase("not authorized").contains("alert-rules");

            InProcessCli.Run withoutCertificate = InProcessCli.run(config(null), "topics", "create");
            assertThat(withoutCertificate.exit()).as(withoutCertificate.err()).isEqualTo(1);
            assertThat(withoutCertificate.err().strip().lines()).as(withoutCertificate.err()).hasSize(1);
            assertThat(withoutCertificate.err()).contains("the TLS handshake failed").contains("kafka.ssl.keystore")
                    .doesNotContain(STORE_PASSWORD).doesNotContain("\tat ");
        }
    }

    private void grant(Component component, String principal) throws Exception {
        Topics topics = cluster.config().topics();
        List<AclBinding> acls = new ArrayList<>(ComponentAcls.of(component, principal, topics, "chokepoint-streams", "chokepoint-alerts"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.internalBootstrapServers()))) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A config file for a client holding {@code keyStore}, or no client certificate when null. */
    private Path config(Path keyStore) throws IOException {
        String keyStoreSettings = keyStore == null ? "" : """
                  ssl.keystore.location: %s
                  ssl.keystore.password: %s
                  ssl.keystore.type: PKCS12
                  ssl.key.password: %s
                """.formatted(keyStore, STORE_PASSWORD, STORE_PASSWORD);
        Path file = dir.resolve((keyStore == null ? "anonymous" : keyStore.getFileName().toString()) + ".yaml");
        Files.writeString(file, """
                bootstrap.servers: %s
                schema.registry.url: %s
                kafka:
                  security.protocol: SSL
                  ssl.truststore.location: %s
                  ssl.truststore.password: %s
                  ssl.truststore.type: PKCS12
                %s""".formatted(cluster.bootstrapServers(), cluster.schemaRegistryUrl(), trustStore, STORE_PASSWORD, keyStoreSettings));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
