package io.chokepoint.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's alert routing file, written from its options: every FIRING and RESOLVED goes to the
 * terminal (a readable line, or the webhook payload as a JSON line with {@code --json}) and to
 * each {@code --webhook}. It is a routing file like any other, loaded by the same loader.
 */
record DemoRouting(boolean jsonLines, List<URI> webhooks) {

    DemoRouting {
        webhooks = List.copyOf(webhooks);
        for (URI url : webhooks) {
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("--webhook must be an http:// or https:// URL with a host, got '" + url + "'");
            }
        }
    }

    /** Names of the receivers, the terminal first. */
    List<String> receivers() {
        List<String> names = new ArrayList<>(List.of("console"));
        for (int i = 1; i <= webhooks.size(); i++) {
            names.add("webhook-" + i);
        }
        return names;
    }

    String yaml() {
        StringBuilder y = new StringBuilder("""
                # written by chokepoint demo from its options
                route:
                  receivers: [%s]
                  group_by: ['...']
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 24h
                receivers:
                  - name: console
                """.formatted(String.join(", ", receivers())));
        y.append(jsonLines ? "    json_lines: {path: \"-\"}\n" : "    console: {}\n");
        for (int i = 0; i < webhooks.size(); i++) {
            // a URI holds no quote or backslash, so a double-quoted scalar needs no escaping
            y.append("  - name: webhook-").append(i + 1).append('\n')
                    .append("    webhook: {url: \"").append(webhooks.get(i)).append("\"}\n");
        }
        y.append("""
                inhibit_rules:
                  - source_matchers: [severity=CRITICAL]
                    target_matchers: [severity=WARNING]
                    equal: [hs_code]
                """);
        return y.toString();
    }
}
