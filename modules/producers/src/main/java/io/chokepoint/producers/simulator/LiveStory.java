package io.chokepoint.producers.simulator;

import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.avro.TariffChange;

import java.time.Instant;

/**
 * Moves story events onto the wall clock for live mode: each event is stamped with the moment it
 * is sent, and every time in it moves with it, so a milestone keeps its delay (actual − planned)
 * and a tariff its notice (effective − announced). Identifiers get the run's tag, so a second live
 * run against the same cluster is new shipments and decisions, not duplicates the pipeline drops.
 */
public final class LiveStory {

    private final String runTag;

    /** @param runTag prefix of every identifier of this run, e.g. {@code L1764748800-} */
    public LiveStory(String runTag) {
        this.runTag = runTag;
    }

    /** A tag that differs between runs started at different seconds. */
    public static LiveStory startingAt(Instant start) {
        return new LiveStory("L" + Long.toString(start.getEpochSecond(), 36) + "-");
    }

    public SimEvent at(SimEvent story, long nowMs) {
        long shift = nowMs - story.eventTimeMs();
        Object event = story.event();
        if (event instanceof ShipmentMilestone m) {
            ShipmentMilestone live = ShipmentMilestone.newBuilder(m)
                    .setEventId(runTag + m.getEventId()).setShipmentId(runTag + m.getShipmentId())
                    .setPlannedAt(m.getPlannedAt().plusMillis(shift)).setActualAt(m.getActualAt().plusMillis(shift)).build();
            return new SimEvent(nowMs, story.hsCode(), live);
        }
        if (event instanceof ExportLicenseDecision l) {
            ExportLicenseDecision live = ExportLicenseDecision.newBuilder(l)
                    .setEventId(runTag + l.getEventId()).setLicenceId(runTag + l.getLicenceId())
                    .setDecidedAt(l.getDecidedAt().plusMillis(shift)).build();
            return new SimEvent(nowMs, story.hsCode(), live);
        }
        TariffChange t = (TariffChange) event;
        TariffChange live = TariffChange.newBuilder(t)
                .setEventId(runTag + t.getEventId()).setChangeId(runTag + t.getChangeId())
                .setAnnouncedAt(t.getAnnouncedAt().plusMillis(shift)).setEffectiveAt(t.getEffectiveAt().plusMillis(shift)).build();
        return new SimEvent(nowMs, story.hsCode(), live);
    }
}
