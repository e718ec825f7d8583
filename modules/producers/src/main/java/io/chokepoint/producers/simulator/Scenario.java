package io.chokepoint.producers.simulator;

import io.chokepoint.events.HsCode;
import io.chokepoint.events.avro.TariffMeasure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A validated scenario: the story's time span, the baseline shipment lanes, the disruptions that
 * bend them over time, the licence flows and the scripted tariff steps. Built by
 * {@link #compile(ScenarioFile)}, which names the offending setting when anything is wrong.
 */
public final class Scenario {

    /** A uniform range [min, max]. */
    record Range(double min, double max) {
        double sample(SplittableRandom random) {
            return min == max ? min : min + random.nextDouble() * (max - min);
        }
    }

    record Route(String origin, String destination) {

        @Override
        public String toString() {
            return origin + "-" + destination;
        }
    }

    record Baseline(Range bookingLeadDays, double departureJitterHours, double arrivalJitterHours, double holdProbability,
                    Range holdHours, Range clearanceHours, Range deliveryHours, double cancelProbability) {
    }

    record Lane(String name, List<String> commodities, List<Route> routes, double shipmentsPerDay, double transitDays,
                Range quantityKg) {
    }

    /** {@code CN-*}: origin and destination, either may be {@code *}. */
    record RoutePattern(String origin, String destination) {
        boolean matches(Route route) {
            return (origin.equals("*") || origin.equals(route.origin())) && (destination.equals("*") || destination.equals(route.destination()));
        }
    }

    record Disruption(String name, Set<String> commodities, List<RoutePattern> routePatterns, Profile strength,
                      Range departureDelayHours, double holdProbability, Range holdHours, double cancelProbability,
                      double volumeFactor) {
        boolean applies(String hsCode, Route route) {
            return (commodities.isEmpty() || commodities.contains(hsCode))
                    && (routePatterns.isEmpty() || matchesAny(route));
        }

        private boolean matchesAny(Route route) {
            for (RoutePattern pattern : routePatterns) {
                if (pattern.matches(route)) {
                    return true;
                }
            }
            return false;
        }
    }

    record LicenceFlow(String name, String authority, String exporter, List<String> importers, List<String> commodities,
                       double applicationsPerDay, Profile approvalRate, double deniedShare, Range quantityKg) {
    }

    record TariffStep(String id, Instant announced, Instant effective, String imposing, String target, double newRatePct,
                      TariffMeasure measure, List<String> commodities) {
    }

    private final String name;
    private final String description;
    private final Instant start;
    private final Instant end;
    private final long seed;
    private final List<String> carriers;
    private final Baseline baseline;
    private final List<Lane> lanes;
    private final List<Disruption> disruptions;
    private final List<LicenceFlow> licenceFlows;
    private final Map<String, Double> baseRates;
    private final List<TariffStep> tariffSteps;

    private Scenario(String name, String description, Instant start, Instant end, long seed, List<String> carriers,
                     Baseline baseline, List<Lane> lanes, List<Disruption> disruptions, List<LicenceFlow> licenceFlows,
                     Map<String, Double> baseRates, List<TariffStep> tariffSteps) {
        this.name = name;
        this.description = description;
        this.start = start;
        this.end = end;
        this.seed = seed;
        this.carriers = carriers;
        this.baseline = baseline;
        this.lanes = lanes;
        this.disruptions = disruptions;
        this.licenceFlows = licenceFlows;
        this.baseRates = baseRates;
        this.tariffSteps = tariffSteps;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    /** The scenario's own seed, used when none is given on the command line. */
    public long seed() {
        return seed;
    }

    List<String> carriers() {
        return carriers;
    }

    Baseline baseline() {
        return baseline;
    }

    List<Lane> lanes() {
        return lanes;
    }

    List<Disruption> disruptions() {
        return disruptions;
    }

    List<LicenceFlow> licenceFlows() {
        return licenceFlows;
    }

    /** The rate in force before the story, per {@code IMPOSING>TARGET}; 0 when not given. */
    double baseRate(String imposing, String target) {
        return baseRates.getOrDefault(imposing + ">" + target, 0.0);
    }

    List<TariffStep> tariffSteps() {
        return tariffSteps;
    }

    /** Every commodity the scenario ships. */
    public Set<String> commodities() {
        Set<String> all = new LinkedHashSet<>();
        lanes.forEach(l -> all.addAll(l.commodities()));
        return all;
    }

    static Scenario compile(ScenarioFile f) {
        String name = required("scenario", "name", f.name());
        String at = "scenario " + name;
        Instant start = StoryTime.parse(at + ": start", f.start());
        Instant end = StoryTime.parse(at + ": end", f.end());
        if (!end.isAfter(start)) {
            throw new ScenarioException(at + ": end " + f.end() + " must be after start " + f.start());
        }
        List<String> carriers = f.carriers() == null || f.carriers().isEmpty() ? List.of("Carrier") : List.copyOf(f.carriers());

        ScenarioFile.Baseline b = required(at, "baseline", f.baseline());
        Baseline baseline = new Baseline(
                range(at + ": baseline.bookingLeadDays", b.bookingLeadDays(), 0, 90),
                number(at + ": baseline.departureJitterHours", b.departureJitterHours(), 0, 24 * 30),
                number(at + ": baseline.arrivalJitterHours", b.arrivalJitterHours(), 0, 24 * 30),
                probability(at + ": baseline.holdProbability", b.holdProbability()),
                range(at + ": baseline.holdHours", b.holdHours(), 0, 24 * 365),
                range(at + ": baseline.clearanceHours", b.clearanceHours(), 0, 24 * 30),
                range(at + ": baseline.deliveryHours", b.deliveryHours(), 0, 24 * 30),
                probability(at + ": baseline.cancelProbability", b.cancelProbability()));

        List<Lane> lanes = new ArrayList<>();
        List<ScenarioFile.Lane> fileLanes = required(at, "lanes", f.lanes());
        for (int i = 0; i < fileLanes.size(); i++) {
            ScenarioFile.Lane l = fileLanes.get(i);
            String where = at + ": lanes[" + i + "]";
            List<Route> routes = new ArrayList<>();
            for (String r : required(where, "routes", l.routes())) {
                String[] parts = r.split("-", 2);
                if (parts.length != 2) {
                    throw new ScenarioException(where + ".routes: '" + r + "' is not ORIGIN-DESTINATION such as CN-US");
                }
                routes.add(new Route(country(where + ".routes", parts[0]), country(where + ".routes", parts[1])));
            }
            lanes.add(new Lane(l.name() == null ? "lane " + i : l.name(), hsCodes(where + ".commodities", l.commodities(), true),
                    List.copyOf(routes), number(where + ".shipmentsPerDay", l.shipmentsPerDay(), 0, 10_000),
                    number(where + ".transitDays", l.transitDays(), 0, 120), range(where + ".quantityKg", l.quantityKg(), 0, 1e9)));
        }

        List<Disruption> disruptions = new ArrayList<>();
        List<ScenarioFile.Disruption> fileDisruptions = f.disruptions() == null ? List.of() : f.disruptions();
        for (int i = 0; i < fileDisruptions.size(); i++) {
            ScenarioFile.Disruption d = fileDisruptions.get(i);
            String where = at + ": disruptions[" + i + "]" + (d.name() == null ? "" : " (" + d.name() + ")");
            List<RoutePattern> patterns = d.routes() == null ? List.of() : d.routes().stream().map(r -> routePattern(where + ".routes", r)).toList();
            disruptions.add(new Disruption(d.name() == null ? "disruption " + i : d.name(),
                    new LinkedHashSet<>(hsCodes(where + ".commodities", d.commodities(), false)), patterns,
                    Profile.of(where + ".strength", d.strength(), 0, 1),
                    d.departureDelayHours() == null ? new Range(0, 0) : range(where + ".departureDelayHours", d.departureDelayHours(), 0, 24 * 365),
                    d.holdProbability() == null ? 0 : probability(where + ".holdProbability", d.holdProbability()),
                    d.holdHours() == null ? new Range(0, 0) : range(where + ".holdHours", d.holdHours(), 0, 24 * 365),
                    d.cancelProbability() == null ? 0 : probability(where + ".cancelProbability", d.cancelProbability()),
                    d.volumeFactor() == null ? 1 : number(where + ".volumeFactor", d.volumeFactor(), 0, 10)));
        }

        List<LicenceFlow> flows = new ArrayList<>();
        List<ScenarioFile.LicenceFlow> fileFlows = f.licences() == null ? List.of() : f.licences();
        for (int i = 0; i < fileFlows.size(); i++) {
            ScenarioFile.LicenceFlow l = fileFlows.get(i);
            String where = at + ": licences[" + i + "]";
            List<String> importers = required(where, "importers", l.importers()).stream().map(c -> country(where + ".importers", c)).toList();
            flows.add(new LicenceFlow(l.name() == null ? "licences " + i : l.name(), required(where, "authority", l.authority()),
                    country(where + ".exporter", l.exporter()), importers, hsCodes(where + ".commodities", l.commodities(), true),
                    number(where + ".applicationsPerDay", l.applicationsPerDay(), 0, 10_000),
                    Profile.of(where + ".approvalRate", l.approvalRate(), 0, 1),
                    l.deniedShare() == null ? 0.5 : probability(where + ".deniedShare", l.deniedShare()),
                    range(where + ".quantityKg", l.quantityKg(), 0, 1e9)));
        }

        Map<String, Double> baseRates = new LinkedHashMap<>();
        for (ScenarioFile.BaseRate r : f.baseRates() == null ? List.<ScenarioFile.BaseRate>of() : f.baseRates()) {
            String where = at + ": baseRates";
            baseRates.put(country(where, r.imposing()) + ">" + country(where, r.target()), number(where + ".ratePct", r.ratePct(), 0, 1000));
        }

        List<TariffStep> steps = new ArrayList<>();
        List<ScenarioFile.TariffStep> fileSteps = f.tariffs() == null ? List.of() : f.tariffs();
        for (int i = 0; i < fileSteps.size(); i++) {
            ScenarioFile.TariffStep t = fileSteps.get(i);
            String where = at + ": tariffs[" + i + "]";
            String imposing = country(where + ".imposing", t.imposing());
            String target = country(where + ".target", t.target());
            List<String> commodities = t.commodities() == null || t.commodities().isEmpty()
                    ? tradedFrom(lanes, target, imposing) : hsCodes(where + ".commodities", t.commodities(), true);
            if (commodities.isEmpty()) {
                throw new ScenarioException(where + ": no lane ships " + target + "-" + imposing + "; list the commodities it taxes");
            }
            Instant announced = StoryTime.parse(where + ".announced", t.announced());
            Instant effective = t.effective() == null ? announced : StoryTime.parse(where + ".effective", t.effective());
            steps.add(new TariffStep(required(where, "id", t.id()), announced, effective, imposing, target,
                    number(where + ".newRatePct", t.newRatePct(), 0, 1000), measure(where + ".measure", t.measure()), commodities));
        }
        steps.sort(java.util.Comparator.comparing(TariffStep::announced)); // stable: file order breaks ties
        long seed = f.seed() == null ? 0 : f.seed();
        return new Scenario(name, f.description() == null ? "" : f.description().strip(), start, end, seed, carriers, baseline,
                List.copyOf(lanes), List.copyOf(disruptions), List.copyOf(flows), baseRates, List.copyOf(steps));
    }

    private static List<String> tradedFrom(List<Lane> lanes, String origin, String destination) {
        Set<String> codes = new LinkedHashSet<>();
        for (Lane lane : lanes) {
            if (lane.routes().stream().anyMatch(r -> r.origin().equals(origin) && r.destination().equals(destination))) {
                codes.addAll(lane.commodities());
            }
        }
        return List.copyOf(codes);
    }

    private static <T> T required(String where, String key, T value) {
        if (value == null || (value instanceof List<?> list && list.isEmpty()) || (value instanceof String s && s.isBlank())) {
            throw new ScenarioException(where + ": '" + key + "' is required");
        }
        return value;
    }

    private static double number(String where, Double value, double min, double max) {
        if (value == null) {
            throw new ScenarioException(where + " is required");
        }
        if (value < min || value > max || value.isNaN()) {
            throw new ScenarioException(where + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static double probability(String where, Double value) {
        return number(where, value, 0, 1);
    }

    private static Range range(String where, List<Double> values, double min, double max) {
        if (values == null || values.size() != 2 || values.contains(null)) {
            throw new ScenarioException(where + " must be a range [min, max]");
        }
        double lo = number(where, values.get(0), min, max);
        double hi = number(where, values.get(1), min, max);
        if (hi < lo) {
            throw new ScenarioException(where + ": [" + lo + ", " + hi + "] has max below min");
        }
        return new Range(lo, hi);
    }

    private static String country(String where, String code) {
        String c = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
        if (!c.equals("EU") && !Set.of(Locale.getISOCountries()).contains(c)) {
            throw new ScenarioException(where + ": '" + code + "' is not an ISO 3166-1 alpha-2 country code");
        }
        return c;
    }

    private static RoutePattern routePattern(String where, String pattern) {
        String[] parts = pattern.split("-", 2);
        if (parts.length != 2) {
            throw new ScenarioException(where + ": '" + pattern + "' is not ORIGIN-DESTINATION (either may be *)");
        }
        String o = parts[0].equals("*") ? "*" : country(where, parts[0]);
        String d = parts[1].equals("*") ? "*" : country(where, parts[1]);
        return new RoutePattern(o, d);
    }

    private static List<String> hsCodes(String where, List<String> codes, boolean required) {
        if (codes == null || codes.isEmpty()) {
            if (required) {
                throw new ScenarioException(where + " must list at least one HS-6 code");
            }
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String code : codes) {
            out.add(HsCode.normalise(code).orElseThrow(() -> new ScenarioException(where + ": '" + code + "' is not an HS-6 code")));
        }
        return List.copyOf(out);
    }

    private static TariffMeasure measure(String where, String text) {
        try {
            TariffMeasure m = TariffMeasure.valueOf(required(where, "measure", text).strip().toUpperCase(Locale.ROOT));
            if (m != TariffMeasure.UNKNOWN) {
                return m;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new ScenarioException(where + ": '" + text + "' is not one of INCREASE, DECREASE, PAUSE, RETALIATION, EXEMPTION");
    }
}
