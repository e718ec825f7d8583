package io.chokepoint.rules;

import io.chokepoint.events.avro.CommodityDelayStats;
import io.chokepoint.events.commodity.Commodity;
import io.chokepoint.events.commodity.CommodityCatalogue;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.offline.Replay;
import io.chokepoint.rules.support.Stats;

import java.util.List;
import java.util.Random;

/**
 * Throughput of the rule evaluation alone (default rules, every catalogue commodity, hourly live
 * views, values wandering across the thresholds), in-process. Prints figures; not a test.
 * Run: {@code mvn -q -o -pl modules/rules test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chokepoint.rules.RuleEvaluationBenchmark}
 */
public final class RuleEvaluationBenchmark {

    private RuleEvaluationBenchmark() {
    }

    public static void main(String[] args) {
        int hours = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        List<String> commodities = CommodityCatalogue.defaultCatalogue().all().stream().map(Commodity::hsCode).toList();
        Random random = new Random(1);
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            long records = 0;
            long alerts = 0;
            long started = System.nanoTime();
            try (Replay replay = Replay.ofRules(RuleSet.defaults(), RuleSettings.defaults().forReplay())) {
                for (int h = 1; h <= hours; h++) {
                    for (String hs : commodities) {
                        CommodityDelayStats s = Stats.liveAt(hs, h)
                                .setP95DelayHours(20 + 80 * Math.abs(Math.sin(h / 50.0 + hs.hashCode())) + random.nextDouble() * 10)
                                .setLicenceApprovalRate(random.nextDouble())
                                .setOverdueShipments(random.nextInt(14))
                                .build();
                        replay.pipeStats(s);
                        records++;
                    }
                    if (h % 100 == 0) {
                        alerts += replay.drainAlerts().size();
                    }
                }
                alerts += replay.drainAlerts().size();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("round %d: %,d live views x %d rules in %.1f s = %,.0f records/s, %,d alerts%n",
                    round + 1, records, RuleSet.defaults().size(), seconds, records / seconds, alerts);
        }
    }
}
