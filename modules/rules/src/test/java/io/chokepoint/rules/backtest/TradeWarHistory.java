package io.chokepoint.rules.backtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A deterministic three-month history of the 2025 story in the importers' CSV formats: rare-earth
 * metals (280530) and NdFeB magnets (850511) stall in customs from 10 April to 20 May while their
 * export licences collapse; processors (854231) keep moving; tariffs jump by 125 points on
 * 9 April and are paused on 12 May. Twelve shipments per commodity and day.
 */
final class TradeWarHistory {

    static final Instant START = Instant.parse("2025-03-25T00:00:00Z");
    static final Instant END = Instant.parse("2025-06-12T00:00:00Z");
    static final Instant STALL_FROM = Instant.parse("2025-04-10T00:00:00Z");
    static final Instant STALL_UNTIL = Instant.parse("2025-05-20T00:00:00Z");
    static final List<String> STALLED = List.of("280530", "850511");
    static final List<String> ALL = List.of("280530", "850511", "854231");

    private record Row(Instant at, String line) {
    }

    private TradeWarHistory() {
    }

    /** Writes milestones.csv, tariffs.csv and licences.csv into {@code dir}; returns their paths. */
    static List<Path> write(Path dir, long seed) throws IOException {
        Random random = new Random(seed);
        List<Row> milestones = new ArrayList<>();
        List<Row> licences = new ArrayList<>();
        int shipment = 0;
        for (Instant day = START; day.isBefore(END); day = day.plus(Duration.ofDays(1))) {
            for (String hs : ALL) {
                for (int i = 0; i < 12; i++) {
                    String id = "S" + (++shipment);
                    Instant booked = day.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
                    Instant departPlan = booked.plus(Duration.ofHours(24));
                    Instant clearPlan = booked.plus(Duration.ofDays(10));
                    Instant arrivePlan = booked.plus(Duration.ofDays(12));
                    Duration noise = Duration.ofMinutes(random.nextInt(12 * 60));
                    boolean stalled = STALLED.contains(hs) && !clearPlan.isBefore(STALL_FROM) && clearPlan.isBefore(STALL_UNTIL);
                    Duration customs = stalled ? Duration.ofHours(120 + random.nextInt(96)) : Duration.ZERO;
                    milestones.add(milestone(id, hs, "BOOKED", booked, booked));
                    milestones.add(milestone(id, hs, "DEPARTED", departPlan, departPlan.plus(noise.dividedBy(4))));
                    if (stalled) {
                        milestones.add(milestone(id, hs, "CUSTOMS_HOLD", clearPlan, clearPlan.plus(Duration.ofHours(2))));
                    }
                    milestones.add(milestone(id, hs, "CLEARED", clearPlan, clearPlan.plus(noise).plus(customs)));
                    milestones.add(milestone(id, hs, "ARRIVED", arrivePlan, arrivePlan.plus(noise).plus(customs)));
                }
            }
            for (String hs : STALLED) {
                double approval = day.isBefore(Instant.parse("2025-04-04T00:00:00Z")) ? 0.9
                        : day.isBefore(Instant.parse("2025-06-01T00:00:00Z")) ? 0.1 : 0.85;
                for (int i = 0; i < 5; i++) {
                    Instant at = day.plus(Duration.ofHours(9 + i));
                    String decision = random.nextDouble() < approval ? "APPROVED" : "DENIED";
                    licences.add(new Row(at, String.join(",", "L-" + hs + "-" + at.toEpochMilli(), at.toString(), "MOFCOM", "CN", "US",
                            hs, decision, "1000")));
                }
            }
        }
        List<Row> tariffs = new ArrayList<>();
        for (String hs : ALL) {
            Instant escalation = Instant.parse("2025-04-09T13:00:00Z");
            Instant pause = Instant.parse("2025-05-12T08:00:00Z");
            tariffs.add(new Row(escalation, String.join(",", "US-2025-04-" + hs, escalation.toString(), escalation.toString(), "US", "CN", hs,
                    "20", "145", "INCREASE")));
            tariffs.add(new Row(pause, String.join(",", "US-2025-05-" + hs, pause.toString(), pause.plus(Duration.ofDays(2)).toString(),
                    "US", "CN", hs, "145", "30", "PAUSE")));
        }
        Path m = write(dir.resolve("milestones.csv"), "shipment_id,hs_code,origin,destination,milestone,planned_at,actual_at,quantity_kg,carrier", milestones);
        Path l = write(dir.resolve("licences.csv"), "licence_id,decided_at,authority,exporter,importer,hs_code,decision,quantity_kg", licences);
        Path t = write(dir.resolve("tariffs.csv"), "change_id,announced_at,effective_at,imposing_country,target_country,hs_code,previous_rate_pct,new_rate_pct,measure", tariffs);
        return List.of(m, l, t);
    }

    private static Row milestone(String id, String hs, String milestone, Instant planned, Instant actual) {
        return new Row(actual, String.join(",", id, hs, "CN", "US", milestone, planned.toString(), actual.toString(), "500", "COSCO"));
    }

    private static Path write(Path file, String header, List<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(header);
        rows.stream().sorted(Comparator.comparing(Row::at)).forEach(r -> lines.add(r.line()));
        return Files.write(file, lines);
    }
}
