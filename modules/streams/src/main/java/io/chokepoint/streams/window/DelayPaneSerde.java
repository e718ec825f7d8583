package io.chokepoint.streams.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import io.chokepoint.streams.state.BinarySerde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Stores a {@link DelayPane}. Format 2 is bounded (sketch bins, per-route lateness, coverage);
 * format 1 (earlier releases: an unbounded DDSketch and every shipment id) is still read: its
 * sketch bins are carried over and each of its shipments is taken to cover every window of the
 * pane, which can over-count distinct shipments in the windows open during the upgrade.
 */
public final class DelayPaneSerde extends BinarySerde<DelayPane> {

    private final int panesPerWindow;

    public DelayPaneSerde(int panesPerWindow) {
        super("delay pane", 2);
        this.panesPerWindow = panesPerWindow;
    }

    @Override
    protected void write(DelayPane pane, DataOutputStream out) throws IOException {
        out.writeLong(pane.count);
        out.writeLong(pane.sumMs);
        out.writeLong(pane.minMs);
        out.writeLong(pane.maxMs);
        out.writeLong(pane.customsHolds);
        pane.sketch.write(out);
        out.writeShort(pane.routeLatenessMs.size());
        for (Map.Entry<String, Long> route : pane.routeLatenessMs.entrySet()) {
            out.writeUTF(route.getKey());
            out.writeLong(route.getValue());
        }
        out.writeShort(pane.coverFrom.length);
        for (int i = 0; i < pane.coverFrom.length; i++) {
            out.writeInt(pane.coverFrom[i]);
            out.writeInt(pane.coverUntil[i]);
        }
    }

    @Override
    protected DelayPane read(int formatVersion, DataInputStream in) throws IOException {
        if (formatVersion == 1) {
            return readFormat1(in);
        }
        long count = in.readLong();
        long sum = in.readLong();
        long min = in.readLong();
        long max = in.readLong();
        long holds = in.readLong();
        DelaySketch sketch = DelaySketch.read(in);
        int routeCount = in.readUnsignedShort();
        Map<String, Long> routes = new HashMap<>(Math.max(4, routeCount * 2));
        for (int i = 0; i < routeCount; i++) {
            routes.put(in.readUTF(), in.readLong());
        }
        int lags = in.readUnsignedShort();
        int[] from = new int[panesPerWindow];
        int[] until = new int[panesPerWindow];
        for (int i = 0; i < lags; i++) {
            int f = in.readInt();
            int u = in.readInt();
            if (i < panesPerWindow) {
                from[i] = f;
                until[i] = u;
            }
        }
        DelayPane pane = new DelayPane(sketch, routes, from, until);
        pane.count = count;
        pane.sumMs = sum;
        pane.minMs = min;
        pane.maxMs = max;
        pane.customsHolds = holds;
        return pane;
    }

    private DelayPane readFormat1(DataInputStream in) throws IOException {
        long count = in.readLong();
        double sumHours = in.readDouble();
        double minHours = in.readDouble();
        double maxHours = in.readDouble();
        long holds = in.readLong();
        byte[] sketchBytes = new byte[in.readInt()];
        in.readFully(sketchBytes);
        DDSketch old = DDSketch.decode(ByteArrayInput.wrap(sketchBytes), UnboundedSizeDenseStore::new);
        DelaySketch sketch = new DelaySketch();
        IndexMapping mapping = old.getIndexMapping();
        old.getPositiveValueStore().getAscendingStream().forEach((Bin b) -> sketch.add(mapping.value(b.getIndex()), Math.round(b.getCount())));
        old.getNegativeValueStore().getAscendingStream().forEach((Bin b) -> sketch.add(-mapping.value(b.getIndex()), Math.round(b.getCount())));
        sketch.add(0.0, Math.round(old.getCount() - old.getPositiveValueStore().getTotalCount() - old.getNegativeValueStore().getTotalCount()));
        int shipments = in.readInt();
        for (int i = 0; i < shipments; i++) {
            in.readUTF();
        }
        int routeCount = in.readInt();
        Map<String, Long> routes = new HashMap<>();
        for (int i = 0; i < routeCount; i++) {
            routes.put(in.readUTF(), Math.round(in.readDouble() * DelayObservation.MILLIS_PER_HOUR));
        }
        int[] from = new int[panesPerWindow];
        int[] until = new int[panesPerWindow];
        from[panesPerWindow - 1] = shipments;
        until[0] = shipments;
        DelayPane pane = new DelayPane(sketch, routes, from, until);
        pane.count = count;
        pane.sumMs = Math.round(sumHours * DelayObservation.MILLIS_PER_HOUR);
        pane.minMs = count == 0 ? Long.MAX_VALUE : Math.round(minHours * DelayObservation.MILLIS_PER_HOUR);
        pane.maxMs = count == 0 ? Long.MIN_VALUE : Math.round(maxHours * DelayObservation.MILLIS_PER_HOUR);
        pane.customsHolds = holds;
        return pane;
    }
}
