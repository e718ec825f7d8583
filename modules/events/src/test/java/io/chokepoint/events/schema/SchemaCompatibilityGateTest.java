package io.chokepoint.events.schema;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaCompatibilityGateTest {

    private static final String RELEASED = """
            {"type":"record","name":"ShipmentMilestone","namespace":"t","fields":[
              {"name":"hsCode","type":"string"},
              {"name":"milestone","type":{"type":"enum","name":"Milestone","symbols":["UNKNOWN","BOOKED","ARRIVED"],"default":"UNKNOWN"}}]}""";

    @Test
    void theShippedSchemasAreCompatibleWithTheirReleasedVersions() throws Exception {
        assertThat(SchemaCompatibilityGate.check(Path.of("../../schemas"), Path.of("../../schemas/released"))).isEmpty();
    }

    @Test
    void aFieldAddedWithoutDefaultIsNamed() {
        Schema current = parse("""
                {"type":"record","name":"ShipmentMilestone","namespace":"t","fields":[
                  {"name":"hsCode","type":"string"},
                  {"name":"milestone","type":{"type":"enum","name":"Milestone","symbols":["UNKNOWN","BOOKED","ARRIVED"],"default":"UNKNOWN"}},
                  {"name":"carrier","type":"string"}]}""");

        List<SchemaCompatibilityGate.Violation> violations = SchemaCompatibilityGate.check("ShipmentMilestone.avsc", parse(RELEASED), current);

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.schema()).isEqualTo("ShipmentMilestone.avsc");
            assertThat(v.field()).isEqualTo("carrier");
            assertThat(v.reason()).contains("without a default");
        });
    }

    @Test
    void aTypeChangeNamesTheField() {
        Schema current = parse("""
                {"type":"record","name":"ShipmentMilestone","namespace":"t","fields":[
                  {"name":"hsCode","type":"int"},
                  {"name":"milestone","type":{"type":"enum","name":"Milestone","symbols":["UNKNOWN","BOOKED","ARRIVED"],"default":"UNKNOWN"}}]}""");

        assertThat(SchemaCompatibilityGate.check("ShipmentMilestone.avsc", parse(RELEASED), current))
                .singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("hsCode"));
    }

    @Test
    void addingAnOptionalFieldAndAnEnumSymbolIsAllowed() {
        Schema current = parse("""
                {"type":"record","name":"ShipmentMilestone","namespace":"t","fields":[
                  {"name":"hsCode","type":"string"},
                  {"name":"milestone","type":{"type":"enum","name":"Milestone","symbols":["UNKNOWN","BOOKED","ARRIVED","LOST"],"default":"UNKNOWN"}},
                  {"name":"carrier","type":["null","string"],"default":null}]}""");

        assertThat(SchemaCompatibilityGate.check("ShipmentMilestone.avsc", parse(RELEASED), current)).isEmpty();
    }

    @Test
    void theGateFailsTheBuildNamingSchemaAndField(@TempDir Path dir) throws Exception {
        Path released = Files.createDirectories(dir.resolve("released"));
        Files.writeString(released.resolve("ShipmentMilestone.avsc"), RELEASED);
        Files.writeString(dir.resolve("ShipmentMilestone.avsc"), RELEASED.replace("\"hsCode\",\"type\":\"string\"", "\"hsCode\",\"type\":\"long\""));

        assertThatThrownBy(() -> SchemaCompatibilityGate.main(new String[]{dir.toString(), released.toString()}))
                .hasMessageContaining("ShipmentMilestone.avsc: field 'hsCode'");
    }

    @Test
    void aReleasedSchemaThatDisappearedIsReported(@TempDir Path dir) throws Exception {
        Path released = Files.createDirectories(dir.resolve("released"));
        Files.writeString(released.resolve("ShipmentMilestone.avsc"), RELEASED);

        assertThat(SchemaCompatibilityGate.check(dir, released)).singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("gone"));
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
