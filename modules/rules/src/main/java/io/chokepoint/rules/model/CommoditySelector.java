package io.chokepoint.rules.model;

import io.chokepoint.events.commodity.CommodityCatalogue;

import java.util.List;
import java.util.Set;

/**
 * Which commodities a rule applies to: explicit HS codes, HS prefixes (e.g. {@code 2846} for all
 * rare-earth compounds) and catalogue groups. A commodity matches when any part matches; an empty
 * selector matches every commodity.
 */
public record CommoditySelector(Set<String> hsCodes, List<String> hsPrefixes, Set<String> groups) {

    public static final CommoditySelector ALL = new CommoditySelector(Set.of(), List.of(), Set.of());

    public CommoditySelector {
        hsCodes = Set.copyOf(hsCodes);
        hsPrefixes = List.copyOf(hsPrefixes);
        groups = Set.copyOf(groups);
    }

    public boolean isEmpty() {
        return hsCodes.isEmpty() && hsPrefixes.isEmpty() && groups.isEmpty();
    }

    public boolean matches(String hsCode, CommodityCatalogue catalogue) {
        if (isEmpty()) {
            return true;
        }
        return hsCodes.contains(hsCode)
                || hsPrefixes.stream().anyMatch(hsCode::startsWith)
                || (!groups.isEmpty() && groups.contains(catalogue.groupOf(hsCode)));
    }
}
