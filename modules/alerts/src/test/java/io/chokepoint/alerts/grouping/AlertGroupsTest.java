package io.chokepoint.alerts.grouping;

import io.chokepoint.alerts.AlertLabels;
import io.chokepoint.alerts.routing.Route;
import io.chokepoint.alerts.support.Alerts;
import io.chokepoint.events.avro.DisruptionAlert;
import io.chokepoint.events.avro.Severity;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Grouping timers, driven by explicit times: group_wait, group_interval, repeat_interval. */
class AlertGroupsTest {

    static final long WAIT = 30_000;
    static final long INTERVAL = 300_000;
    static final long REPEAT = 3_600_000;

    final Route route = new Route("0", List.of(), List.of("ops"), false, List.of("commodity_group"),
            Duration.ofMillis(WAIT), Duration.ofMillis(INTERVAL), Duration.ofMillis(REPEAT), List.of());
    final AlertGroups groups = new AlertGroups();

    long offset;

    void add(DisruptionAlert a, long at) {
        DeliveryTicket ticket = new DeliveryTicket(new TopicPartition("disruption-alerts", 0), offset++, at);
        groups.add(route, new PendingAlert(a, AlertLabels.of(a), Set.of("ops"), ticket), at);
    }

    static List<String> ids(GroupFlush f) {
        return f.alerts().stream().map(PendingAlert::key).toList();
    }

    @Test
    void alerts_arriving_within_group_wait_go_out_together_once_it_elapses() {
        add(Alerts.firing("a1", "850511", Severity.WARNING), 0);
        add(Alerts.firing("a2", "850519", Severity.WARNING), 10_000);

        assertThat(groups.due(WAIT - 1)).isEmpty();
        List<GroupFlush> flushed = groups.due(WAIT);

        assertThat(flushed).hasSize(1);
        assertThat(ids(flushed.get(0))).containsExactly("a1:firing", "a2:firing");
        assertThat(flushed.get(0).groupLabels()).containsEntry("commodity_group", "rare-earth-magnets");
        assertThat(groups.due(WAIT + 1)).isEmpty();
    }

    @Test
    void after_the_first_notification_new_alerts_wait_for_group_interval() {
        DisruptionAlert a1 = Alerts.firing("a1", "850511", Severity.WARNING);
        add(a1, 0);
        groups.due(WAIT);
        add(Alerts.firing("a3", "850520", Severity.WARNING), WAIT + 1_000);
        add(Alerts.resolved(a1), WAIT + 2_000);

        assertThat(groups.due(WAIT + INTERVAL - 1)).isEmpty();
        List<GroupFlush> second = groups.due(WAIT + INTERVAL);

        assertThat(second).hasSize(1);
        assertThat(ids(second.get(0))).containsExactly("a3:firing", "a1:resolved");
        assertThat(second.get(0).repeat()).isFalse();
    }

    @Test
    void an_idle_group_with_firing_alerts_repeats_after_repeat_interval() {
        add(Alerts.firing("a1", "850511", Severity.WARNING), 0);
        groups.due(WAIT);

        assertThat(groups.due(WAIT + REPEAT - 1)).isEmpty();
        List<GroupFlush> reminder = groups.due(WAIT + REPEAT);

        assertThat(reminder).hasSize(1);
        assertThat(reminder.get(0).repeat()).isTrue();
        assertThat(ids(reminder.get(0))).containsExactly("a1:firing");
        assertThat(reminder.get(0).alerts().get(0).ticket()).as("a reminder holds no record back").isNull();
        assertThat(groups.due(WAIT + 2 * REPEAT - 1)).isEmpty();
        assertThat(groups.due(WAIT + 2 * REPEAT)).hasSize(1);
    }

    @Test
    void a_new_alert_in_a_group_waiting_for_its_reminder_goes_out_once_and_restarts_the_reminder_clock() {
        add(Alerts.firing("a1", "850511", Severity.WARNING), 0);
        groups.due(WAIT);
        long later = WAIT + REPEAT / 2;
        add(Alerts.firing("a2", "850519", Severity.WARNING), later);

        List<GroupFlush> batch = groups.due(later);
        assertThat(batch).hasSize(1);
        assertThat(ids(batch.get(0))).containsExactly("a2:firing");
        assertThat(groups.due(WAIT + REPEAT)).as("the reminder the group was queued for before a2 no longer applies").isEmpty();
        List<GroupFlush> reminder = groups.due(later + REPEAT);
        assertThat(reminder).hasSize(1);
        assertThat(reminder.get(0).repeat()).isTrue();
        assertThat(ids(reminder.get(0))).containsExactly("a1:firing", "a2:firing");
    }

    @Test
    void of_many_firing_groups_each_poll_flushes_exactly_those_that_are_due() {
        Route eachAlone = new Route("each", List.of(), List.of("ops"), false, List.of("..."), Duration.ofMillis(WAIT),
                Duration.ofMillis(INTERVAL), Duration.ofMillis(REPEAT), List.of());
        for (int i = 0; i < 1_000; i++) {
            DisruptionAlert a = Alerts.firing("f" + i, Integer.toString(850_000 + i), Severity.WARNING);
            groups.add(eachAlone, new PendingAlert(a, AlertLabels.of(a), Set.of("ops"), new DeliveryTicket(new TopicPartition("disruption-alerts", 0), i, i)), i);
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(groups.due(WAIT + i)).as("first notification of f" + i).hasSize(1);
        }
        assertThat(groups.groupCount()).isEqualTo(1_000);

        assertThat(groups.due(WAIT + REPEAT + 499)).as("reminders of f0..f499").hasSize(500);
        assertThat(groups.due(WAIT + REPEAT + 499)).isEmpty();
        assertThat(groups.due(WAIT + REPEAT + 999)).hasSize(500);
    }

    @Test
    void a_restored_firing_alert_is_reminded_of_on_the_clock_of_its_last_notification_and_sends_nothing_before() {
        DisruptionAlert a1 = Alerts.firing("a1", "850511", Severity.WARNING);
        TopicPartition p0 = new TopicPartition("disruption-alerts", 0);
        long notifiedAt = 50_000;
        groups.restore(route, new FiringAlert(new PendingAlert(a1, AlertLabels.of(a1), Set.of("ops"), null), p0), notifiedAt);

        assertThat(groups.due(notifiedAt + REPEAT - 1)).as("no FIRING is sent again").isEmpty();
        List<GroupFlush> reminder = groups.due(notifiedAt + REPEAT);
        assertThat(reminder).hasSize(1);
        assertThat(reminder.get(0).repeat()).isTrue();
        assertThat(reminder.get(0).firing()).extracting(FiringAlert::partition).containsExactly(p0);
    }

    @Test
    void a_record_replayed_into_a_restored_group_goes_out_after_group_wait_not_group_interval() {
        DisruptionAlert a1 = Alerts.firing("a1", "850511", Severity.WARNING);
        long notifiedAt = 50_000;
        groups.restore(route, new FiringAlert(new PendingAlert(a1, AlertLabels.of(a1), Set.of("ops"), null),
                new TopicPartition("disruption-alerts", 0)), notifiedAt);
        add(a1, notifiedAt + 1_000);

        assertThat(groups.due(notifiedAt + 1_000 + WAIT)).hasSize(1).allSatisfy(f -> assertThat(f.repeat()).isFalse());
    }

    @Test
    void firing_alerts_of_revoked_partitions_are_left_to_their_new_owner() {
        add(Alerts.firing("a1", "850511", Severity.WARNING), 0);
        groups.due(WAIT);
        groups.dropPartitions(List.of(new TopicPartition("disruption-alerts", 0)));

        assertThat(groups.due(WAIT + REPEAT)).as("no reminder from the old owner").isEmpty();
        assertThat(groups.groupCount()).isZero();
    }

    @Test
    void a_fully_resolved_group_is_forgotten_and_the_next_alert_waits_group_wait_again() {
        DisruptionAlert a1 = Alerts.firing("a1", "850511", Severity.WARNING);
        add(a1, 0);
        groups.due(WAIT);
        add(Alerts.resolved(a1), 100_000);
        groups.due(WAIT + INTERVAL);
        assertThat(groups.groupCount()).isZero();

        long later = 10_000_000;
        add(Alerts.firing("a9", "850511", Severity.WARNING), later);
        assertThat(groups.due(later + WAIT - 1)).isEmpty();
        assertThat(groups.due(later + WAIT)).hasSize(1);
        assertThat(groups.due(later + REPEAT * 10)).as("no reminder for resolved alerts").hasSize(1)
                .allSatisfy(f -> assertThat(ids(f)).containsExactly("a9:firing"));
    }

    @Test
    void different_group_labels_make_separate_groups_with_their_own_timers() {
        add(Alerts.firing("a1", "850511", Severity.WARNING), 0);
        add(Alerts.alert("b1", "r", "854231", "semiconductors", io.chokepoint.events.avro.AlertState.FIRING,
                Severity.WARNING, java.util.Map.of()), 20_000);

        assertThat(groups.due(WAIT)).hasSize(1).allSatisfy(f -> assertThat(ids(f)).containsExactly("a1:firing"));
        assertThat(groups.due(20_000 + WAIT)).hasSize(1).allSatisfy(f -> assertThat(ids(f)).containsExactly("b1:firing"));
    }
}
