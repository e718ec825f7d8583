package io.chokepoint.rules.command;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.admin.TopicProvisioner;
import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code rules apply} against the real alert-rules topic: deleting a rule that is not there is a mistake, named. */
@ExtendWith(DevClusterExtension.class)
class RulesApplyCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run apply(ChokepointConfig config, String... args) {
        RulesApplyCommand command = new RulesApplyCommand();
        command.config = config;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void deleting_a_rule_that_is_not_on_the_topic_is_an_error_naming_it(DevCluster cluster, @TempDir Path dir) throws Exception {
        ChokepointConfig config = cluster.config().with(Map.of(ChokepointConfig.TOPIC_PREFIX, "r" + UUID.randomUUID().toString().substring(0, 8) + "-"));
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            new TopicProvisioner(admin, config.topics(), (short) 1).ensureAll();
        }
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - {id: magnets, metric: p95DelayHours, comparison: ">", fire: 72}
                """);
        assertThat(apply(config, rules.toString()).exit()).isZero();

        Run typo = apply(config, "--delete", "magnet", "--delete", "no-such-rule");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.out()).isEmpty();
        assertThat(typo.err().strip()).isEqualTo("rules apply: --delete magnet, no-such-rule: no such rule on " + config.topics().alertRules().name()
                + " (it holds magnets); a rule from a rules file is switched off with enabled: false; nothing published");

        Run ok = apply(config, "--delete", "magnets");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("deleted magnets");
        Run again = apply(config, "--delete", "magnets");
        assertThat(again.exit()).as("deleted already").isEqualTo(2);
        assertThat(again.err()).contains("--delete magnets: no such rule").contains("(it holds no rule)");
    }
}
