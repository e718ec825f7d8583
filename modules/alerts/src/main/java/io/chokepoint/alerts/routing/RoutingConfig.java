package io.chokepoint.alerts.routing;

import java.util.List;
import java.util.Map;

/** A validated routing file: the tree, the receivers by name, the inhibition rules. */
public record RoutingConfig(Route root, Map<String, ReceiverSpec> receivers, List<InhibitRule> inhibitRules) {

    public ReceiverSpec receiver(String name) {
        ReceiverSpec spec = receivers.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no receiver named '" + name + "'");
        }
        return spec;
    }
}
