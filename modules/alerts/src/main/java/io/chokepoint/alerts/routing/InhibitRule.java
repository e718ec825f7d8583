package io.chokepoint.alerts.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mutes target alerts while a firing source alert with the same values of the {@code equal}
 * labels exists: e.g. a CRITICAL for a commodity mutes its WARNINGs.
 */
public record InhibitRule(List<LabelMatcher> sourceMatchers, List<LabelMatcher> targetMatchers, List<String> equal) {

    public boolean isSource(Map<String, String> labels) {
        return sourceMatchers.stream().allMatch(m -> m.matches(labels));
    }

    public boolean isTarget(Map<String, String> labels) {
        return targetMatchers.stream().allMatch(m -> m.matches(labels));
    }

    public boolean sameEqualLabels(Map<String, String> source, Map<String, String> target) {
        for (String name : equal) {
            if (!Objects.equals(source.getOrDefault(name, ""), target.getOrDefault(name, ""))) {
                return false;
            }
        }
        return true;
    }
}
