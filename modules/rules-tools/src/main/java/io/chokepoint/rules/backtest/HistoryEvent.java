package io.chokepoint.rules.backtest;

import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;

/** One fact read from a history file, with the event time the delay aggregation will use for it. */
public record HistoryEvent(SpecificRecord event, Instant eventTime, String source) {
}
