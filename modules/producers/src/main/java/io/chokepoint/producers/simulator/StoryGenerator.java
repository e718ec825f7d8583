package io.chokepoint.producers.simulator;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.producers.EventIds;
import io.chokepoint.producers.simulator.Scenario.Disruption;
import io.chokepoint.producers.simulator.Scenario.Lane;
import io.chokepoint.producers.simulator.Scenario.LicenceFlow;
import io.chokepoint.producers.simulator.Scenario.Route;
import io.chokepoint.producers.simulator.Scenario.TariffStep;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Plays a scenario day by day into a stream of facts in event-time order.
 *
 * <p>Deterministic by seed: one {@link SplittableRandom} (its algorithm is specified, so the
 * sequence is the same on every JVM) is drawn from in a fixed order — lanes, commodities and
 * routes in file order, no hash-ordered collections — and ties in time are broken by creation
 * order. Same scenario and seed, same bytes.
 *
 * <p>Each shipment is booked on a day and schedules its later milestones into a queue; a day's
 * events are released once every booking of that day is made, since no later booking can
 * produce an earlier event. Memory therefore holds the shipments in flight, not the story.
 */
public final class StoryGenerator implements Iterator<SimEvent> {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    private record Pending(SimEvent event, long sequence) {
    }

    private final Scenario scenario;
    private final SplittableRandom random;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> {
        int byTime = Long.compare(a.event().eventTimeMs(), b.event().eventTimeMs());
        return byTime != 0 ? byTime : Long.compare(a.sequence(), b.sequence());
    });
    private final Map<String, Double> currentRates = new HashMap<>();
    private final long end;
    private long day;
    private long sequence;
    private long shipments;
    private long licences;
    private int nextTariff;

    public StoryGenerator(Scenario scenario, long seed) {
        this.scenario = scenario;
        this.random = new SplittableRandom(seed);
        this.day = scenario.start().toEpochMilli();
        this.end = scenario.end().toEpochMilli();
    }

    @Override
    public boolean hasNext() {
        while (true) {
            Pending head = queue.peek();
            if (head != null && head.event().eventTimeMs() < Math.min(day, end)) {
                return true;
            }
            if (day >= end) {
                return false;
            }
            generateDay(day);
            day += DAY;
        }
    }

    @Override
    public SimEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the scenario ended at " + scenario.end());
        }
        return queue.poll().event();
    }

    private void generateDay(long dayStart) {
        tariffsAnnouncedBefore(dayStart + DAY);
        for (LicenceFlow flow : scenario.licenceFlows()) {
            double approval = flow.approvalRate().at(dayStart + DAY / 2);
            for (String hs : flow.commodities()) {
                for (String importer : flow.importers()) {
                    int n = poisson(flow.applicationsPerDay());
                    for (int i = 0; i < n; i++) {
                        licence(flow, hs, importer, dayStart + (long) (random.nextDouble() * DAY), approval);
                    }
                }
            }
        }
        for (Lane lane : scenario.lanes()) {
            for (String hs : lane.commodities()) {
                for (Route route : lane.routes()) {
                    double volume = lane.shipmentsPerDay() * volumeFactor(hs, route, dayStart + DAY / 2);
                    int n = poisson(volume);
                    for (int i = 0; i < n; i++) {
                        shipment(lane, hs, route, dayStart + (long) (random.nextDouble() * DAY));
                    }
                }
            }
        }
    }

    private void tariffsAnnouncedBefore(long limit) {
        while (nextTariff < scenario.tariffSteps().size() && scenario.tariffSteps().get(nextTariff).announced().toEpochMilli() < limit) {
            TariffStep step = scenario.tariffSteps().get(nextTariff++);
            for (String hs : step.commodities()) {
                String key = step.imposing() + ">" + step.target() + ">" + hs;
                double previous = currentRates.getOrDefault(key, scenario.baseRate(step.imposing(), step.target()));
                currentRates.put(key, step.newRatePct());
                TariffChange change = new TariffChange(EventIds.tariff(step.id(), hs, step.imposing(), step.target()), step.id(),
                        step.announced(), step.effective(), step.imposing(), step.target(), hs, previous, step.newRatePct(),
                        step.measure());
                schedule(step.announced().toEpochMilli(), hs, change);
            }
        }
    }

    private void licence(LicenceFlow flow, String hs, String importer, long decidedAt, double approvalRate) {
        LicenceDecision decision;
        if (random.nextDouble() < approvalRate) {
            decision = LicenceDecision.APPROVED;
        } else {
            decision = random.nextDouble() < flow.deniedShare() ? LicenceDecision.DENIED : LicenceDecision.PENDING;
        }
        double quantity = Math.round(flow.quantityKg().sample(random));
        String licenceId = flow.authority() + "-" + Instant.ofEpochMilli(decidedAt).atZone(java.time.ZoneOffset.UTC).getYear() + "-"
                + padded(++licences, 6);
        Instant at = Instant.ofEpochMilli(decidedAt);
        schedule(decidedAt, hs, new ExportLicenseDecision(EventIds.licence(licenceId, hs, decision.name(), at), licenceId, at,
                flow.authority(), flow.exporter(), importer, hs, decision, quantity));
    }

    /**
     * Books one shipment and schedules its whole journey, bent by the disruptions in force at its
     * planned departure. A disruption's holds happen at export (a licence or export control stops
     * the goods before they leave); the baseline's occasional holds happen at import customs.
     */
    private void shipment(Lane lane, String hs, Route route, long bookedAt) {
        Scenario.Baseline base = scenario.baseline();
        String id = "SIM-" + route.origin() + route.destination() + "-" + padded(++shipments, 7);
        String carrier = scenario.carriers().get(random.nextInt(scenario.carriers().size()));
        double quantity = Math.round(lane.quantityKg().sample(random));

        long plannedDeparture = bookedAt + (long) (base.bookingLeadDays().sample(random) * DAY);
        double extraDelayHours = 0;
        double exportHoldProbability = 0;
        double exportHoldHours = 0;
        double cancelProbability = base.cancelProbability();
        for (Disruption d : scenario.disruptions()) {
            if (d.applies(hs, route)) {
                double strength = d.strength().at(plannedDeparture);
                extraDelayHours += strength * d.departureDelayHours().sample(random);
                exportHoldProbability += strength * d.holdProbability();
                exportHoldHours += d.holdHours().sample(random);
                cancelProbability += strength * d.cancelProbability();
            }
        }
        Milestones m = new Milestones(id, hs, route, quantity, carrier);
        m.add(Milestone.BOOKED, bookedAt, bookedAt);

        if (random.nextDouble() < cancelProbability) {
            // stuck long enough, the buyer gives up: cancelled somewhere in the wait
            long cancelledAt = plannedDeparture + (long) (random.nextDouble() * Math.max(extraDelayHours, 24) * HOUR);
            m.add(Milestone.CANCELLED, plannedDeparture, cancelledAt);
            return;
        }
        long actualDeparture = plannedDeparture + jitter(base.departureJitterHours()) + (long) (extraDelayHours * HOUR);
        boolean heldAtExport = random.nextDouble() < Math.min(1.0, exportHoldProbability);
        if (heldAtExport) {
            long heldAt = plannedDeparture + (long) (random.nextDouble() * 12 * HOUR);
            m.add(Milestone.CUSTOMS_HOLD, plannedDeparture, heldAt);
            actualDeparture = Math.max(actualDeparture, heldAt) + (long) (exportHoldHours * HOUR);
        }
        m.add(Milestone.DEPARTED, plannedDeparture, actualDeparture);

        long transit = (long) (lane.transitDays() * DAY);
        long plannedArrival = plannedDeparture + transit;
        long actualArrival = actualDeparture + transit + jitter(base.arrivalJitterHours());
        long plannedCleared = plannedArrival + (long) (base.clearanceHours().max() * HOUR);
        long cleared;
        // a shipment reaches each milestone once (its event id is shipment + milestone): one hold at most
        if (random.nextDouble() < base.holdProbability() && !heldAtExport) {
            m.add(Milestone.CUSTOMS_HOLD, plannedArrival, actualArrival);
            cleared = actualArrival + (long) (base.holdHours().sample(random) * HOUR);
        } else {
            cleared = actualArrival + (long) (base.clearanceHours().sample(random) * HOUR);
        }
        m.add(Milestone.CLEARED, plannedCleared, cleared);
        long plannedDelivery = plannedCleared + (long) (base.deliveryHours().max() * HOUR);
        m.add(Milestone.ARRIVED, plannedDelivery, cleared + (long) (base.deliveryHours().sample(random) * HOUR));
    }

    /** A shipment's milestones, all sharing its identity. */
    private final class Milestones {
        private final String id;
        private final String hs;
        private final Route route;
        private final double quantity;
        private final String carrier;

        Milestones(String id, String hs, Route route, double quantity, String carrier) {
            this.id = id;
            this.hs = hs;
            this.route = route;
            this.quantity = quantity;
            this.carrier = carrier;
        }

        void add(Milestone milestone, long planned, long actual) {
            schedule(actual, hs, new ShipmentMilestone(EventIds.milestone(id, milestone.name()), id, hs, route.origin(),
                    route.destination(), milestone, Instant.ofEpochMilli(planned), Instant.ofEpochMilli(actual), quantity, carrier));
        }
    }

    private double volumeFactor(String hs, Route route, long at) {
        double factor = 1;
        for (Disruption d : scenario.disruptions()) {
            if (d.volumeFactor() != 1 && d.applies(hs, route)) {
                factor *= 1 + (d.volumeFactor() - 1) * d.strength().at(at);
            }
        }
        return factor;
    }

    private long jitter(double hours) {
        return (long) ((random.nextDouble() * 2 - 1) * hours * HOUR);
    }

    /** Knuth's method for the small daily means of a scenario; a normal approximation above 30. */
    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            n++;
            product *= random.nextDouble();
        }
        return n;
    }

    private void schedule(long at, String hs, org.apache.avro.specific.SpecificRecord event) {
        queue.add(new Pending(new SimEvent(at, hs, event), sequence++));
    }

    /** Zero-padded digits, locale-independent (String.format would use the default locale's digits). */
    private static String padded(long n, int width) {
        String digits = Long.toString(n);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    /** Shipments booked so far. */
    public long shipmentsBooked() {
        return shipments;
    }
}
