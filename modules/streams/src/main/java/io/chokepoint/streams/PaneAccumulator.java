package io.chokepoint.streams;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.TariffChange;
import io.chokepoint.streams.policy.LicenceTally;
import io.chokepoint.streams.policy.TariffRoute;
import io.chokepoint.streams.window.DelayPane;
import io.chokepoint.streams.window.Windowing;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Second step: the accumulate step of the sliding aggregation. A counted observation updates the
 * one pane it falls in; a licence decision the tally of its pane; a tariff change its route's
 * history. Everything then goes on to the emitter.
 */
final class PaneAccumulator implements Processor<String, DelayFact, String, DelayFact> {

    /** Panes kept decoded, so the pane of a busy commodity is not decoded again for every observation. */
    private static final int HOT_PANES = 4096;

    private final Windowing windowing;
    private final Map<String, DelayPane> hot = new LinkedHashMap<>(HOT_PANES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DelayPane> eldest) {
            return size() > HOT_PANES;
        }
    };
    private ProcessorContext<String, DelayFact> context;
    private WindowStore<String, DelayPane> panes;
    private WindowStore<String, LicenceTally> licences;
    private KeyValueStore<String, TariffRoute> tariffs;

    PaneAccumulator(StreamsSettings settings) {
        this.windowing = new Windowing(settings.windowSize().toMillis(), settings.windowAdvance().toMillis(), settings.grace().toMillis());
    }

    @Override
    public void init(ProcessorContext<String, DelayFact> ctx) {
        this.context = ctx;
        this.panes = ctx.getStateStore(DelayAggregation.PANES_STORE);
        this.licences = ctx.getStateStore(DelayAggregation.LICENCES_STORE);
        this.tariffs = ctx.getStateStore(DelayAggregation.TARIFFS_STORE);
        hot.clear(); // a revived task starts from its stores
    }

    @Override
    public void process(Record<String, DelayFact> record) {
        String hs = record.key();
        if (record.value() instanceof DelayFact.Counted counted) {
            long paneStart = windowing.paneStart(counted.observation().at());
            String hotKey = hs + "|" + paneStart;
            DelayPane pane = hot.get(hotKey);
            if (pane == null) {
                pane = panes.fetch(hs, paneStart);
                if (pane == null) {
                    pane = new DelayPane(windowing.panesPerWindow());
                }
                hot.put(hotKey, pane);
            }
            pane.add(counted.observation(), counted.coverage());
            panes.put(hs, pane, paneStart); // write-through: the store (and its changelog) always holds what the hot copy holds
        } else if (record.value() instanceof DelayFact.Licence licence) {
            ExportLicenseDecision d = licence.decision();
            long paneStart = windowing.paneStart(d.getDecidedAt().toEpochMilli());
            LicenceTally tally = licences.fetch(hs, paneStart);
            licences.put(hs, (tally == null ? LicenceTally.EMPTY : tally).plus(d.getDecision()), paneStart);
        } else if (record.value() instanceof DelayFact.Tariff tariff) {
            TariffChange c = tariff.change();
            String routeKey = TariffRoute.keyOf(hs, c.getImposingCountry(), c.getTargetCountry());
            TariffRoute route = tariffs.get(routeKey);
            tariffs.put(routeKey, (route == null ? TariffRoute.empty(c) : route).with(c));
        }
        context.forward(record);
    }
}
