package io.chokepoint.alerts.routing;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.events.avro.AlertState;
import io.chokepoint.events.avro.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingConfigLoaderTest {

    static final String TREE = """
            route:
              receiver: default
              group_by: [hs_code]
              group_wait: 10s
              routes:
                - matchers: ['severity=CRITICAL']
                  receiver: pager
                  continue: true
                  group_wait: 0s
                - matchers: ['hs_prefix=8505']
                  receivers: [magnets-team, audit]
                - matchers: ['commodity_group=~"semi.*"', 'team!=none']
                  receiver: chips-team
            receivers:
              - name: default
                json_lines: {path: "-"}
              - name: pager
                webhook:
                  url: http://127.0.0.1:9/hook
                  signing_secret_config: alerts.secrets.pager
              - name: magnets-team
                slack: {url: "https://hooks.example.com/services/T/B/X"}
              - name: audit
                kafka: {topic: alerts-audit}
              - name: chips-team
                webhook: {url: "http://127.0.0.1:9/chips"}
                fallback: default
            """;

    static RoutingConfig load(String yaml) {
        return RoutingConfigLoader.parse(yaml, "routing.yaml", key -> key.equals("alerts.secrets.pager")
                ? Optional.of("pager-secret-0123456789") : Optional.empty());
    }

    static List<String> receiversFor(RoutingConfig config, Map<String, String> labels) {
        return config.root().match(labels).stream().flatMap(r -> r.receivers().stream()).toList();
    }

    @Test
    void critical_magnet_alert_pages_and_continues_to_the_magnets_team() {
        RoutingConfig config = load(TREE);
        Map<String, String> labels = AlertLabels.of(Alerts.firing("a1", "850511", Severity.CRITICAL));

        assertThat(receiversFor(config, labels)).containsExactly("pager", "magnets-team", "audit");
    }

    @Test
    void warning_for_magnets_stops_at_the_first_match_without_continue() {
        RoutingConfig config = load(TREE);
        Map<String, String> labels = AlertLabels.of(Alerts.alert("a2", "r", "850519", "semiconductors", AlertState.FIRING,
                Severity.WARNING, Map.of("team", "chips")));

        // hs_prefix route matches first and has no continue, so the semiconductors route is not reached
        assertThat(receiversFor(config, labels)).containsExactly("magnets-team", "audit");
    }

    @Test
    void label_and_group_matchers_route_chips_and_the_rest_falls_to_the_root() {
        RoutingConfig config = load(TREE);
        Map<String, String> chips = AlertLabels.of(Alerts.alert("a3", "r", "854231", "semiconductors", AlertState.FIRING,
                Severity.WARNING, Map.of("team", "chips")));
        Map<String, String> noTeam = AlertLabels.of(Alerts.alert("a4", "r", "854231", "semiconductors", AlertState.FIRING,
                Severity.WARNING, Map.of("team", "none")));

        assertThat(receiversFor(config, chips)).containsExactly("chips-team");
        assertThat(receiversFor(config, noTeam)).containsExactly("default");
    }

    @Test
    void children_inherit_grouping_and_secrets_come_from_settings() {
        RoutingConfig config = load(TREE);
        Route pager = config.root().routes().get(0);
        Route magnets = config.root().routes().get(1);

        assertThat(pager.groupWait()).isZero();
        assertThat(magnets.groupWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(magnets.groupBy()).containsExactly("hs_code");
        assertThat(magnets.repeatInterval()).isEqualTo(Duration.ofHours(4));
        ReceiverSpec.Webhook hook = (ReceiverSpec.Webhook) config.receiver("pager").target();
        assertThat(hook.signingSecret()).contains("pager-secret-0123456789");
        assertThat(hook.toString()).doesNotContain("pager-secret");
        assertThat(config.receiver("chips-team").fallback()).contains("default");
    }

    @Test
    void a_misspelt_field_is_named_with_its_line() {
        String yaml = TREE.replace("  group_wait: 10s", "  group_wiat: 10s");
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(RoutingConfigException.class)
                .hasMessageStartingWith("routing.yaml:4:3: route.group_wiat: unknown field");
    }

    @Test
    void a_bad_duration_names_file_line_and_field() {
        String yaml = TREE.replace("group_wait: 0s", "group_wait: soon");
        assertThatThrownBy(() -> load(yaml))
                .hasMessage("routing.yaml:9:19: route.routes[0].group_wait: must be a duration such as 500ms, 30s, 5m or 4h, got 'soon'");
    }

    @Test
    void an_undeclared_receiver_is_an_error_at_its_line() {
        String yaml = TREE.replace("receiver: chips-team", "receiver: chip-team");
        assertThatThrownBy(() -> load(yaml))
                .hasMessage("routing.yaml:13:17: route.routes[2].receiver: receiver 'chip-team' is not declared under receivers");
    }

    @Test
    void a_broken_matcher_and_a_missing_secret_are_reported() {
        assertThatThrownBy(() -> load(TREE.replace("'hs_prefix=8505'", "'hs_prefix 8505'")))
                .hasMessageStartingWith("routing.yaml:10:18: route.routes[1].matchers[0]: 'hs_prefix 8505' is not a matcher");
        assertThatThrownBy(() -> RoutingConfigLoader.parse(TREE, "routing.yaml", k -> Optional.empty()))
                .hasMessageStartingWith("routing.yaml:20:30: receivers[1].webhook.signing_secret_config: names setting 'alerts.secrets.pager', which is not set");
    }

    @Test
    void a_receiver_needs_exactly_one_destination_and_a_valid_url() {
        assertThatThrownBy(() -> load(TREE.replace("    kafka: {topic: alerts-audit}", "")))
                .hasMessageContaining("receivers[3]: receiver 'audit' needs exactly one of webhook, slack, kafka, json_lines, console; found none");
        assertThatThrownBy(() -> load(TREE.replace("http://127.0.0.1:9/chips", "ftp://x/chips")))
                .hasMessage("routing.yaml:26:20: receivers[4].webhook.url: must be an http:// or https:// URL with a host, got 'ftp://x/chips'");
    }

    @Test
    void every_problem_of_a_file_is_listed_in_one_run_in_file_order() {
        String yaml = TREE.replace("  group_wait: 10s", "  group_wiat: 10s")
                .replace("group_wait: 0s", "group_wait: soon")
                .replace("receiver: chips-team", "receiver: chip-team")
                .replace("http://127.0.0.1:9/chips", "ftp://x/chips");
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOfSatisfying(RoutingConfigException.class, e -> assertThat(e.problems()).hasSize(4))
                .hasMessage(String.join("\n",
                        "routing.yaml:4:3: route.group_wiat: unknown field (known: continue, group_by, group_interval, group_wait, matchers, receiver, receivers, repeat_interval, routes)",
                        "routing.yaml:9:19: route.routes[0].group_wait: must be a duration such as 500ms, 30s, 5m or 4h, got 'soon'",
                        "routing.yaml:13:17: route.routes[2].receiver: receiver 'chip-team' is not declared under receivers",
                        "routing.yaml:26:20: receivers[4].webhook.url: must be an http:// or https:// URL with a host, got 'ftp://x/chips'"));
    }

    @Test
    void labels_spelt_the_old_way_are_named_with_their_new_spelling() {
        String yaml = TREE.replace("group_by: [hs_code]", "group_by: [hsCode]")
                .replace("'commodity_group=~\"semi.*\"'", "'commodityGroup=~\"semi.*\"'");
        assertThatThrownBy(() -> load(yaml)).hasMessage(String.join("\n",
                "routing.yaml:3:14: route.group_by[0]: label 'hsCode' is spelt 'hs_code' (labels are snake_case, one spelling each)",
                "routing.yaml:12:18: route.routes[2].matchers[0]: label 'commodityGroup' is spelt 'commodity_group' (labels are snake_case, one spelling each)"));
    }
}
