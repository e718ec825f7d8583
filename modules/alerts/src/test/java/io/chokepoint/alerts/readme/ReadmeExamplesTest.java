package io.chokepoint.alerts.readme;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.delivery.Notification;
import io.chokepoint.alerts.delivery.PayloadLinks;
import io.chokepoint.alerts.delivery.Payloads;
import io.chokepoint.alerts.grouping.AlertGroups;
import io.chokepoint.alerts.grouping.PendingAlert;
import io.chokepoint.alerts.routing.LabelMatcher;
import io.chokepoint.alerts.routing.Route;
import io.chokepoint.alerts.routing.RoutingConfig;
import io.chokepoint.alerts.routing.RoutingConfigLoader;
import io.chokepoint.alerts.silence.MatcherLint;
import io.chokepoint.alerts.support.StallAlert;
import io.chokepoint.devcluster.junit.DocExamples;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.commodity.CommodityCatalogue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's routing, silence and webhook examples, run against the code so they cannot drift. */
class ReadmeExamplesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static RoutingConfig routing() {
        return RoutingConfigLoader.parse(DocExamples.example("routing-file"), "README.md",
                key -> key.equals("alerts.secrets.pager") ? Optional.of("a-secret-of-16-chars-or-more") : Optional.empty());
    }

    @Test
    void the_routing_file_example_loads_and_routes_a_critical_magnet_alert_to_the_pager_and_the_magnet_team() throws Exception {
        RoutingConfig config = routing();
        Map<String, String> labels = AlertLabels.of(StallAlert.firing());
        List<Route> routes = config.root().match(labels);
        assertThat(routes).extracting(Route::id).containsExactly("0.0", "0.1");
        assertThat(routes.get(0).receivers()).containsExactly("pager");
        assertThat(config.inhibitRules()).hasSize(1);
    }

    @Test
    void the_webhook_payload_example_is_what_the_pager_receives() throws Exception {
        DisruptionAlert alert = StallAlert.firing();
        Map<String, String> labels = AlertLabels.of(alert);
        Route pagerRoute = routing().root().match(labels).get(0);
        Map<String, String> groupLabels = pagerRoute.groupLabels(labels);
        Notification n = Notification.of("pager", AlertGroups.groupKey(pagerRoute, groupLabels), groupLabels,
                List.of(new PendingAlert(alert, labels, Set.of("pager"), null)), false, 0);
        byte[] body = Payloads.webhook(n, new PayloadLinks("http://chokepoint-alerts:9096", "http://chokepoint:9095"));
        System.out.println("webhook body of the README's FIRING (" + body.length + " bytes):\n"
                + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body)));
        assertThat(JSON.readTree(DocExamples.example("webhook-payload"))).isEqualTo(JSON.readTree(body));
    }

    @Test
    void the_silence_examples_are_valid_and_can_match() {
        MatcherLint lint = new MatcherLint(CommodityCatalogue.defaultCatalogue());
        Matcher m = Pattern.compile("silence add((?: -m \\S+)+)").matcher(DocExamples.example("alerts-commands"));
        int examples = 0;
        while (m.find()) {
            examples++;
            List<LabelMatcher> matchers = new ArrayList<>();
            for (String part : m.group(1).trim().split("\\s*-m\\s+")) {
                if (!part.isBlank()) {
                    matchers.add(LabelMatcher.parse(part));
                }
            }
            assertThat(lint.warnings(matchers)).as(m.group()).isEmpty();
        }
        assertThat(examples).isPositive();
    }
}
