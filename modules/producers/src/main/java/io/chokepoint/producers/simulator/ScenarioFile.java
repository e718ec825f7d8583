package io.chokepoint.producers.simulator;

import java.util.List;
import java.util.Map;

/**
 * A scenario file exactly as written (YAML, see {@code SCENARIOS.md}); {@link Scenario#compile}
 * validates it. Unknown keys are an error, so a typo never silently does nothing.
 */
record ScenarioFile(
        String name,
        String description,
        String start,
        String end,
        Long seed,
        List<String> carriers,
        Baseline baseline,
        List<Lane> lanes,
        List<Disruption> disruptions,
        List<LicenceFlow> licences,
        List<BaseRate> baseRates,
        List<TariffStep> tariffs) {

    /** Every shipment's ordinary behaviour. */
    record Baseline(List<Double> bookingLeadDays, Double departureJitterHours, Double arrivalJitterHours,
                    Double holdProbability, List<Double> holdHours, List<Double> clearanceHours,
                    List<Double> deliveryHours, Double cancelProbability) {
    }

    /** Shipments of some commodities over some routes ({@code CN-US}), Poisson-distributed per day. */
    record Lane(String name, List<String> commodities, List<String> routes, Double shipmentsPerDay, Double transitDays,
                List<Double> quantityKg) {
    }

    /** A time-varying effect on matching shipments, at full strength when {@code strength} is 1. */
    record Disruption(String name, List<String> commodities, List<String> routes, Map<String, Double> strength,
                      List<Double> departureDelayHours, Double holdProbability, List<Double> holdHours,
                      Double cancelProbability, Double volumeFactor) {
    }

    /** Licence decisions of one authority, with the approval rate over time. */
    record LicenceFlow(String name, String authority, String exporter, List<String> importers, List<String> commodities,
                       Double applicationsPerDay, Map<String, Double> approvalRate, Double deniedShare,
                       List<Double> quantityKg) {
    }

    /** The rate in force before the story starts. */
    record BaseRate(String imposing, String target, Double ratePct) {
    }

    /** One scripted tariff change, on listed commodities or (empty) everything traded target → imposing. */
    record TariffStep(String id, String announced, String effective, String imposing, String target, Double newRatePct,
                      String measure, List<String> commodities) {
    }
}
