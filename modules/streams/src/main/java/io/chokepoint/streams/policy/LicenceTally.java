package io.chokepoint.streams.policy;

import io.chokepoint.events.avro.LicenceDecision;

/**
 * Licence decisions of one commodity in one pane. "Decided" counts APPROVED, DENIED and REVOKED;
 * PENDING is counted apart and is not a decision; UNKNOWN (a symbol from a newer writer) is ignored.
 */
public record LicenceTally(long approved, long denied, long revoked, long pending) {

    public static final LicenceTally EMPTY = new LicenceTally(0, 0, 0, 0);

    public LicenceTally plus(LicenceDecision decision) {
        return switch (decision) {
            case APPROVED -> new LicenceTally(approved + 1, denied, revoked, pending);
            case DENIED -> new LicenceTally(approved, denied + 1, revoked, pending);
            case REVOKED -> new LicenceTally(approved, denied, revoked + 1, pending);
            case PENDING -> new LicenceTally(approved, denied, revoked, pending + 1);
            default -> this;
        };
    }

    public LicenceTally plus(LicenceTally other) {
        return new LicenceTally(approved + other.approved, denied + other.denied, revoked + other.revoked, pending + other.pending);
    }

    public long decided() {
        return approved + denied + revoked;
    }

    /** approved / decided, or null when nothing was decided. */
    public Double approvalRate() {
        return decided() == 0 ? null : (double) approved / decided();
    }
}
