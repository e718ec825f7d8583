package io.chokepoint.rules.evaluation;

import io.chokepoint.events.avro.AlertState;
import io.chokepoint.rules.evaluation.Episode.Phase;
import io.chokepoint.rules.model.Rule;

import java.util.Optional;

/**
 * The alert lifecycle of one rule for one commodity, as a pure function of (state, rule, value,
 * time): inactive → pending → firing → (resolved) → inactive.
 *
 * <ul>
 *   <li>Pending starts when the value crosses {@code fire}; it resets to inactive as soon as the
 *       fire condition fails (the {@code for} clock restarts).</li>
 *   <li>Firing starts when the condition has held for {@code for}; one FIRING transition.</li>
 *   <li>While firing the alert stays up as long as the value is on the alerting side of
 *       {@code resolve} (hysteresis band included); once it crosses, {@code keep_firing_for} is
 *       granted; the condition coming back during that grace cancels it silently.</li>
 *   <li>One RESOLVED transition when leaving firing; nothing is emitted in between.</li>
 * </ul>
 * No Kafka here, so every edge is testable directly; the Streams processor only feeds it.
 */
public final class RuleStateMachine {

    /** The next state (empty = inactive, nothing to store) and the transition to publish, if any. */
    public record Step(Optional<Episode> next, Optional<Transition> transition) {
        static Step inactive() {
            return new Step(Optional.empty(), Optional.empty());
        }

        static Step stay(Episode state) {
            return new Step(Optional.of(state), Optional.empty());
        }
    }

    private RuleStateMachine() {
    }

    public static Step evaluate(Rule rule, String hsCode, Episode state, double value, long at) {
        String fingerprint = rule.fingerprint();
        if (state == null) {
            if (!rule.fires(value)) {
                return Step.inactive();
            }
            Episode pending = new Episode(Phase.PENDING, at, 1, -1, -1, 0, at, value,
                    rule.metric().name(), rule.comparison().symbol(), fingerprint, null);
            return rule.forHold().reachedBy(at, at, 1) ? fire(rule, hsCode, pending) : Step.stay(pending);
        }
        return switch (state.phase()) {
            case PENDING -> {
                if (!rule.fires(value)) {
                    yield Step.inactive();
                }
                int count = state.holdCount() + 1;
                Episode pending = new Episode(Phase.PENDING, state.episodeStart(), count, -1, -1, 0, at, value,
                        state.metric(), state.comparison(), fingerprint, null);
                yield rule.forHold().reachedBy(state.episodeStart(), at, count) ? fire(rule, hsCode, pending) : Step.stay(pending);
            }
            case FIRING -> {
                if (rule.staysFiring(value)) {
                    yield Step.stay(new Episode(Phase.FIRING, state.episodeStart(), state.holdCount(), state.firingSince(),
                            -1, 0, at, value, state.metric(), state.comparison(), fingerprint, state.alertId()));
                }
                long since = state.clearedSince() < 0 ? at : state.clearedSince();
                int count = state.clearedCount() + 1;
                if (rule.keepFiringFor().exceededBy(since, at, count)) {
                    yield new Step(Optional.empty(), Optional.of(new Transition(
                            AlertState.RESOLVED, state.alertId(), state.episodeStart(),
                            value, rule.resolve(), at, null)));
                }
                yield Step.stay(new Episode(Phase.FIRING, state.episodeStart(), state.holdCount(), state.firingSince(),
                        since, count, at, value, state.metric(), state.comparison(), fingerprint, state.alertId()));
            }
        };
    }

    /**
     * Ends an episode for a reason other than the value: the rule was deleted, disabled, no longer
     * selects the commodity, changed its metric, or the commodity went quiet. A firing episode
     * yields its RESOLVED (with the last observed value); a pending one just ends.
     */
    public static Step close(Episode state, double threshold, long at, String reason) {
        if (state == null || !state.firing()) {
            return Step.inactive();
        }
        return new Step(Optional.empty(), Optional.of(new Transition(AlertState.RESOLVED,
                state.alertId(), state.episodeStart(), state.lastValue(), threshold, Math.max(at, state.lastEvaluatedAt()), reason)));
    }

    private static Step fire(Rule rule, String hsCode, Episode pending) {
        String alertId = AlertIds.of(rule.id(), hsCode, pending.episodeStart());
        Episode firing = new Episode(Phase.FIRING, pending.episodeStart(), pending.holdCount(), pending.lastEvaluatedAt(),
                -1, 0, pending.lastEvaluatedAt(), pending.lastValue(), pending.metric(), pending.comparison(),
                pending.ruleFingerprint(), alertId);
        return new Step(Optional.of(firing), Optional.of(new Transition(AlertState.FIRING, alertId,
                pending.episodeStart(), pending.lastValue(), rule.fire(), pending.lastEvaluatedAt(), null)));
    }
}
