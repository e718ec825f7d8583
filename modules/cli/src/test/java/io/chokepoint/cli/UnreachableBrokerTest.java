package io.chokepoint.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command that talks to Kafka fails at once, naming the address, when nothing listens there. */
class UnreachableBrokerTest {

    @TempDir
    Path dir;

    @Test
    void eachCommandNamesTheAddressAndExits1() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Path licences = dir.resolve("licences.csv");
        Files.writeString(licences, "licence_id,decided_at,authority,exporter,importer,hs_code,decision,quantity_kg\n"
                + "L1,2025-04-20T10:00:00Z,MOFCOM,CN,US,280530,APPROVED,100\n");
        Path routing = dir.resolve("routing.yaml");
        Files.writeString(routing, new DemoRouting(false, List.of()).yaml());
        List<List<String>> commands = List.of(
                List.of("topics", "create"),
                List.of("produce", "licences", "--file", licences.toString()),
                List.of("simulate", "--speed", "0"),
                List.of("streams"),
                List.of("alerts", "--set", "alerts.routing.file=" + routing, "--set", "alerts.http.port=-1"),
                List.of("alerts", "silence", "list"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(List.of("--bootstrap-servers", address, "--schema-registry-url", "http://127.0.0.1:1"));
            args.addAll(command);
            InProcessCli.Run run = InProcessCli.run(args);
            int exit = run.exit();
            String stderr = run.err();
            assertThat(exit).as("exit of %s: %s", command, stderr).isEqualTo(1);
            assertThat(stderr).as("stderr of %s", command)
                    .contains("cannot reach Kafka at " + address + " (bootstrap.servers): " + address + " refused the connection")
                    .doesNotContain("\tat ");
        }
        // a host that does not resolve (RFC 2606 reserves .invalid): named the same way, also where clients are built at once
        String unknown = "kafka.chokepoint.invalid:9092";
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(List.of("--bootstrap-servers", unknown, "--schema-registry-url", "http://127.0.0.1:1"));
            args.addAll(command);
            InProcessCli.Run run = InProcessCli.run(args);
            assertThat(run.exit()).as("exit of %s: %s", command, run.err()).isEqualTo(1);
            assertThat(run.err()).as("stderr of %s", command)
                    .contains("cannot reach Kafka at " + unknown + " (bootstrap.servers): " + unknown + " is an unknown host")
                    .doesNotContain("\tat ");
        }
    }
}
