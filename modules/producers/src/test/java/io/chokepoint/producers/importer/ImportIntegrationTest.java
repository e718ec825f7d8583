package io.chokepoint.producers.importer;

import io.chokepoint.devcluster.DevCluster;
import io.chokepoint.devcluster.junit.DevClusterExtension;
import io.chokepoint.events.avro.ExportLicenseDecision;
import io.chokepoint.events.avro.LicenceDecision;
import io.chokepoint.events.avro.Milestone;
import io.chokepoint.events.avro.ShipmentMilestone;
import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.EventIds;
import io.chokepoint.producers.EventPublisher;
import io.chokepoint.producers.KafkaReadBack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Imports into the real embedded broker and reads back through the registry-decoded topic. */
@ExtendWith(DevClusterExtension.class)
class ImportIntegrationTest {

    @TempDir
    Path dir;

    private static Importer importer(ChokepointConfig config) {
        return new Importer(mode -> EventPublisher.create(config, mode), InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
    }

    private static ShipmentMilestone milestone(String shipment, String hs, String origin, String destination, Milestone step,
                                               String planned, String actual, Double kg, String carrier) {
        return new ShipmentMilestone(EventIds.milestone(shipment, step.name()), shipment, hs, origin, destination, step,
                Instant.parse(planned), Instant.parse(actual), kg, carrier);
    }

    @Test
    void importedRowsReadBackExactlyAndReimportsKeepTheirIds(DevCluster cluster) throws Exception {
        ChokepointConfig config = KafkaReadBack.isolated(cluster.config());
        Path file = dir.resolve("milestones.csv");
        Files.writeString(file, ImporterTest.MILESTONE_HEADER
                + "S1,8505.11,CN,US,DEPARTED,2025-04-10T00:00:00Z,2025-04-14T08:00:00+08:00,1200,COSCO\n"
                + "S1,850511,CN,US,CUSTOMS_HOLD,2025-05-08T00:00:00Z,2025-05-09T00:00:00Z,1200,COSCO\n"
                + "S2,854231,US,CN,BOOKED,,2025-04-16T12:00:00Z,,\n"
                + "S3,854231,US,XX,BOOKED,,2025-04-16T12:00:00Z,,\n");

        ImportSummary first = importer(config).run(ImportOptions.of(ImportKind.MILESTONES, file.toString()));
        assertThat(first.read()).isEqualTo(4);
        assertThat(first.published()).isEqualTo(3);
        assertThat(first.rejected()).isEqualTo(1);

        List<ShipmentMilestone> expected = List.of(
                milestone("S1", "850511", "CN", "US", Milestone.DEPARTED, "2025-04-10T00:00:00Z", "2025-04-14T00:00:00Z", 1200.0, "COSCO"),
                milestone("S1", "850511", "CN", "US", Milestone.CUSTOMS_HOLD, "2025-05-08T00:00:00Z", "2025-05-09T00:00:00Z", 1200.0, "COSCO"),
                milestone("S2", "854231", "US", "CN", Milestone.BOOKED, "2025-04-16T12:00:00Z", "2025-04-16T12:00:00Z", null, null));
        List<ConsumerRecord<String, ShipmentMilestone>> records =
                KafkaReadBack.readAll(config, config.topics().shipmentMilestones(), 3);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(expected);
        for (ConsumerRecord<String, ShipmentMilestone> r : records) {
            assertThat(r.key()).as("key = HS code").isEqualTo(r.value().getHsCode());
            assertThat(r.timestamp()).as("timestamp = event time").isEqualTo(r.value().getActualAt().toEpochMilli());
        }
        // same key, same partition: the two milestones of S1 keep their order
        assertThat(records.stream().filter(r -> r.key().equals("850511")).map(ConsumerRecord::partition).distinct()).hasSize(1);

        ImportSummary again = importer(config).run(ImportOptions.of(ImportKind.MILESTONES, file.toString()));
        assertThat(again.published()).isEqualTo(3);
        List<ConsumerRecord<String, ShipmentMilestone>> both = KafkaReadBack.readAll(config, config.topics().shipmentMilestones(), 6);
        assertThat(both).hasSize(6);
        Set<String> ids = both.stream().map(r -> r.value().getEventId()).collect(Collectors.toSet());
        assertThat(ids).as("a re-import repeats facts under the same ids, for downstream dedup")
                .isEqualTo(expected.stream().map(ShipmentMilestone::getEventId).collect(Collectors.toSet()));
    }

    @Test
    void atomicImportsAreAllOrNothing(DevCluster cluster) throws Exception {
        ChokepointConfig config = KafkaReadBack.isolated(cluster.config());
        Path rejected = dir.resolve("with-reject.csv");
        Files.writeString(rejected, ImporterTest.LICENCE_HEADER
                + "L1,2025-04-20T10:00:00+08:00,MOFCOM,CN,US,280530,APPROVED,2500\n"
                + "L2,2025-04-20T10:00:00+08:00,MOFCOM,CN,US,280530,MAYBE,2500\n");
        ImportSummary aborted = importer(config).run(ImportOptions.of(ImportKind.LICENCES, rejected.toString()).withAtomic(true));
        assertThat(aborted.atomicAborted()).isTrue();
        assertThat(aborted.published()).isZero();
        assertThat(aborted.line()).contains("nothing published");

        Path clean = dir.resolve("clean.csv");
        Files.writeString(clean, ImporterTest.LICENCE_HEADER + "L3,2025-04-21T10:00:00Z,MOFCOM,CN,DE,2846.90,DENIED,\n");
        ImportSummary committed = importer(config).run(ImportOptions.of(ImportKind.LICENCES, clean.toString()).withAtomic(true));
        assertThat(committed.published()).isEqualTo(1);

        List<ConsumerRecord<String, ExportLicenseDecision>> records = KafkaReadBack.readAll(config, config.topics().exportLicenses(), 1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.value().getLicenceId()).isEqualTo("L3");
            assertThat(r.value().getDecision()).isEqualTo(LicenceDecision.DENIED);
            assertThat(r.key()).isEqualTo("284690");
        });
    }

    @Test
    void aFileThatTurnsBadHalfWayKeepsWhatWasPublishedAndSaysSo(DevCluster cluster) throws Exception {
        ChokepointConfig config = KafkaReadBack.isolated(cluster.config());
        Path file = dir.resolve("cut.csv");
        Files.writeString(file, ImporterTest.MILESTONE_HEADER
                + "S1,850511,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n"
                + "S2,850511,CN,US,ARR");
        try {
            importer(config).run(ImportOptions.of(ImportKind.MILESTONES, file.toString()));
            throw new AssertionError("expected a bad file");
        } catch (BadFileException e) {
            assertThat(e.getMessage()).contains("line 3: the last line is truncated")
                    .contains("the 1 valid row before it was published (use --atomic for all or nothing)");
        }
    }
}
