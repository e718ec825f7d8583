package io.chokepoint.streams.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import io.chokepoint.streams.state.BinarySerde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Stores a {@link DelayPane}, its sketch in DDSketch's own encoding (index mapping included). */
public final class DelayPaneSerde extends BinarySerde<DelayPane> {

    public DelayPaneSerde() {
        super("delay pane", 1);
    }

    @Override
    protected void write(DelayPane pane, DataOutputStream out) throws IOException {
        out.writeLong(pane.count);
        out.writeDouble(pane.sumHours);
        out.writeDouble(pane.minHours);
        out.writeDouble(pane.maxHours);
        out.writeLong(pane.customsHolds);
        GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withInitialCapacity(64);
        pane.sketch.encode(sketch, false);
        out.writeInt(sketch.numWrittenBytes());
        out.write(sketch.backingArray(), 0, sketch.numWrittenBytes());
        out.writeInt(pane.shipments.size());
        for (String s : pane.shipments) {
            out.writeUTF(s);
        }
        out.writeInt(pane.routeDelayHours.size());
        for (Map.Entry<String, Double> route : pane.routeDelayHours.entrySet()) {
            out.writeUTF(route.getKey());
            out.writeDouble(route.getValue());
        }
    }

    @Override
    protected DelayPane read(int formatVersion, DataInputStream in) throws IOException {
        long count = in.readLong();
        double sum = in.readDouble();
        double min = in.readDouble();
        double max = in.readDouble();
        long holds = in.readLong();
        byte[] sketchBytes = new byte[in.readInt()];
        in.readFully(sketchBytes);
        DDSketch sketch = DDSketch.decode(ByteArrayInput.wrap(sketchBytes), UnboundedSizeDenseStore::new);
        int shipmentCount = in.readInt();
        Set<String> shipments = new HashSet<>(Math.max(4, shipmentCount * 2));
        for (int i = 0; i < shipmentCount; i++) {
            shipments.add(in.readUTF());
        }
        int routeCount = in.readInt();
        Map<String, Double> routes = new HashMap<>();
        for (int i = 0; i < routeCount; i++) {
            routes.put(in.readUTF(), in.readDouble());
        }
        DelayPane pane = new DelayPane(sketch, shipments, routes);
        pane.count = count;
        pane.sumHours = sum;
        pane.minHours = min;
        pane.maxHours = max;
        pane.customsHolds = holds;
        return pane;
    }
}
