package io.chokepoint.producers.importer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The importer's validation and bad-file handling, in dry-run mode (no broker involved). */
class ImporterTest {

    static final String MILESTONE_HEADER = "shipment_id,hs_code,origin,destination,milestone,planned_at,actual_at,quantity_kg,carrier\n";
    static final String LICENCE_HEADER = "licence_id,decided_at,authority,exporter,importer,hs_code,decision,quantity_kg\n";
    static final String TARIFF_HEADER = "change_id,announced_at,effective_at,imposing_country,target_country,hs_code,previous_rate_pct,new_rate_pct,measure\n";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private Importer importer(String stdin) {
        return new Importer(mode -> {
            throw new AssertionError("a dry run must not open a publisher");
        }, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), err, false);
    }

    private ImportSummary dryRun(ImportKind kind, String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return importer("").run(ImportOptions.of(kind, file.toString()).withDryRun(true));
    }

    private String badFile(ImportKind kind, String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return badFileMessage(ImportOptions.of(kind, file.toString()).withDryRun(true));
    }

    private String badFileMessage(ImportOptions options) {
        try {
            importer("").run(options);
        } catch (BadFileException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a bad-file error");
    }

    @Test
    void oneRowIsCountedInTheSingular() throws Exception {
        ImportSummary summary = new ImportSummary("one.csv", ImportKind.LICENCES, 1, 1, 1, 0, false, false, dir.resolve("x"),
                java.time.Duration.ofSeconds(1));
        assertThat(summary.line()).endsWith("in 1.0 s, 1 row/s");
        assertThat(RowCount.rows(1)).isEqualTo("1 row");
        assertThat(RowCount.rows(2)).isEqualTo("2 rows");
        assertThat(RowCount.perSecond(2_500)).isEqualTo("2,500 rows/s");
    }

    @Test
    void theRejectFileEndsWithALineBreakWhenTheInputDoesNot() throws Exception {
        dryRun(ImportKind.LICENCES, "last.csv", LICENCE_HEADER + "L1,2025-04-20T10:00:00Z,MOFCOM,CN,UK,2805.30,APPROVED,100");
        String report = Files.readString(dir.resolve("last.rejects.csv"));
        assertThat(report).contains("BAD_COUNTRY").endsWith("\r\n");
    }

    private List<CSVRecord> rejects(String name) throws IOException {
        Path rejectFile = dir.resolve(name.substring(0, name.lastIndexOf('.')) + ".rejects.csv");
        assertThat(rejectFile).exists();
        try (var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(rejectFile))) {
            return parser.getRecords();
        }
    }

    @Test
    void validRowsAreCountedAndNoRejectFileIsWritten() throws Exception {
        ImportSummary summary = dryRun(ImportKind.MILESTONES, "ok.csv", MILESTONE_HEADER
                + "S1,850511,CN,US,DEPARTED,2025-04-01T00:00:00Z,2025-04-03T06:00:00+08:00,1200,COSCO\n"
                + "S1,8505.11,cn,us,arrived,2025-05-01T00:00:00Z,2025-05-02T00:00:00Z,,\n");
        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.valid()).isEqualTo(2);
        assertThat(summary.rejected()).isZero();
        assertThat(summary.clean()).isTrue();
        assertThat(dir.resolve("ok.rejects.csv")).doesNotExist();
        assertThat(summary.line()).contains("read 2", "valid 2", "published 0 (dry run)", "rejected 0");
    }

    @Test
    void everyMilestoneRejectNamesLineColumnFieldAndReason() throws Exception {
        String tooLong = "S".repeat(FieldReader.MAX_TEXT_LENGTH + 1);
        ImportSummary summary = dryRun(ImportKind.MILESTONES, "bad.csv", MILESTONE_HEADER
                + "S1,85051,CN,US,DEPARTED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n"        // line 2: HS code
                + "S2,850511,UK,US,DEPARTED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n"       // 3: country
                + "S3,850511,CN,US,LOST,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n"           // 4: enum
                + "S4,850511,CN,US,DEPARTED,2025-04-01T00:00:00,2025-04-02T00:00:00Z,1,C\n"        // 5: no offset
                + "S5,850511,CN,US,DEPARTED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,heavy,C\n"   // 6: number
                + "S6,850511,CN,US,DEPARTED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,-5,C\n"      // 7: range
                + "S7,850511,CN,CN,DEPARTED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n"       // 8: inconsistent
                + ",850511,CN,US,DEPARTED,,2025-04-02T00:00:00Z,1,C\n"                             // 9: two missing
                + "S9,850511,CN,US,DEPARTED\n"                                                     // 10: field count
                + tooLong + ",850511,CN,US,DEPARTED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n" // 11: too long
                + "S10,850511,CN,US,DEPARTED,1985-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n");    // 12: year out of range
        assertThat(summary.read()).isEqualTo(11);
        assertThat(summary.rejected()).isEqualTo(11);
        assertThat(summary.valid()).isZero();

        List<CSVRecord> rejects = rejects("bad.csv");
        assertThat(rejects).extracting(r -> r.get("line") + ":" + r.get("column") + ":" + r.get("field") + ":" + r.get("reason"))
                .startsWith(
                        "2:2:hs_code:BAD_HS_CODE",
                        "3:3:origin:BAD_COUNTRY",
                        "4:5:milestone:BAD_ENUM",
                        "5:6:planned_at:BAD_TIMESTAMP",
                        "6:8:quantity_kg:NOT_A_NUMBER",
                        "7:8:quantity_kg:OUT_OF_RANGE",
                        "8:4:destination:INCONSISTENT",
                        "9:1:shipment_id:MISSING_FIELD",
                        "9:6:planned_at:MISSING_FIELD",
                        "10:6::FIELD_COUNT")
                .contains("11:1:shipment_id:TOO_LONG", "12:6:planned_at:OUT_OF_RANGE");
        assertThat(rejects).allSatisfy(r -> assertThat(r.get("file")).endsWith("bad.csv"));

        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(stderr).contains("bad.csv:2:2: hs_code: '85051' is not an HS-6 code")
                .contains("bad.csv:3:3: origin: 'UK' is not an ISO 3166-1 alpha-2 country code (the United Kingdom is GB)")
                .contains("bad.csv:5:6: planned_at: '2025-04-01T00:00:00' has no UTC offset")
                .contains("'LOST' is not one of BOOKED, DEPARTED, CUSTOMS_HOLD, CLEARED, ARRIVED, CANCELLED");
        assertThat(summary.line()).contains("rejected 11", "bad.rejects.csv");
    }

    @Test
    void licenceAndTariffRulesAcrossFields() throws Exception {
        ImportSummary licences = dryRun(ImportKind.LICENCES, "licences.csv", LICENCE_HEADER
                + "L1,2025-04-20T10:00:00+08:00,MOFCOM,CN,US,2805.30,approved,2500\n"
                + "L2,2025-04-20T10:00:00+08:00,MOFCOM,CN,CN,280530,DENIED,\n"
                + "L3,2025-04-20,MOFCOM,CN,US,280530,MAYBE,10\n");
        assertThat(licences.valid()).isEqualTo(1);
        assertThat(rejects("licences.csv")).extracting(r -> r.get("line") + ":" + r.get("field") + ":" + r.get("reason"))
                .containsExactly("3:importer:INCONSISTENT", "4:decided_at:BAD_TIMESTAMP", "4:decision:BAD_ENUM");

        ImportSummary tariffs = dryRun(ImportKind.TARIFFS, "tariffs.csv", TARIFF_HEADER
                + "T1,2025-04-09T17:00:00Z,2025-04-10T04:01:00Z,US,CN,850511,104,130,INCREASE\n"
                + "T2,2025-04-09T17:00:00Z,2025-04-10T04:01:00Z,US,CN,850511,130,104,INCREASE\n"
                + "T3,2025-04-09T17:00:00Z,2025-04-10T04:01:00Z,US,CN,850511,-1,1500,RETALIATION\n");
        assertThat(tariffs.valid()).isEqualTo(1);
        assertThat(rejects("tariffs.csv")).extracting(r -> r.get("line") + ":" + r.get("field") + ":" + r.get("reason"))
                .containsExactly("3:new_rate_pct:INCONSISTENT", "4:previous_rate_pct:OUT_OF_RANGE", "4:new_rate_pct:OUT_OF_RANGE");
    }

    @Test
    void jsonLinesRejectsNameTheField() throws Exception {
        ImportSummary summary = dryRun(ImportKind.MILESTONES, "m.jsonl", """
                {"shipment_id":"S1","hs_code":"8505.11","origin":"CN","destination":"US","milestone":"DEPARTED","planned_at":"2025-04-01T00:00:00Z","actual_at":"2025-04-02T00:00:00Z","quantity_kg":1200}

                {"shipment_id":"S2","hs_code":850511,"origin":"CN","destination":"US","milestone":"BOOKED","actual_at":"2025-04-02T00:00:00Z","colour":"red"}
                {"shipment_id":"S3","hs_code":{"x":1},"origin":"CN","destination":"US","milestone":"BOOKED","actual_at":"2025-04-02T00:00:00Z"}
                {"shipment_id": "S4", oops}
                ["not","an","object"]
                """);
        assertThat(summary.read()).isEqualTo(5);
        assertThat(summary.valid()).isEqualTo(1);
        assertThat(rejects("m.jsonl")).extracting(r -> r.get("line") + ":" + r.get("column") + ":" + r.get("field") + ":" + r.get("reason"))
                .containsExactly("3::colour:UNKNOWN_FIELD", "4::hs_code:BAD_TYPE", "4::hs_code:MISSING_FIELD", "5:::BAD_JSON", "6:::BAD_JSON");
    }

    @Test
    void headerOnlyFileImportsNothingCleanly() throws Exception {
        ImportSummary summary = dryRun(ImportKind.TARIFFS, "empty-rows.csv", TARIFF_HEADER);
        assertThat(summary.read()).isZero();
        assertThat(summary.clean()).isTrue();
    }

    @Test
    void optionalColumnsMayBeLeftOutOfTheHeaderInAnyOrder() throws Exception {
        ImportSummary summary = dryRun(ImportKind.MILESTONES, "short.csv",
                "milestone,shipment_id,hs_code,origin,destination,planned_at,actual_at\r\n"
                        + "CLEARED,S1,850511,CN,US,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z\r\n");
        assertThat(summary.valid()).isEqualTo(1);
    }

    @Test
    void aByteOrderMarkAndAMissingFinalLineBreakOnACompleteRowAreFine() throws Exception {
        ImportSummary summary = dryRun(ImportKind.MILESTONES, "bom.csv", "\uFEFF" + MILESTONE_HEADER
                + "S1,850511,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C");
        assertThat(summary.valid()).isEqualTo(1);
    }

    @Test
    void aStaleRejectFileIsRemovedByACleanRun() throws Exception {
        dryRun(ImportKind.MILESTONES, "m.csv", MILESTONE_HEADER + "S1,bad,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n");
        assertThat(dir.resolve("m.rejects.csv")).exists();
        dryRun(ImportKind.MILESTONES, "m.csv", MILESTONE_HEADER + "S1,850511,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n");
        assertThat(dir.resolve("m.rejects.csv")).doesNotExist();
    }

    @Test
    void standardInputNeedsAFormatAndWritesStdinRejects() throws Exception {
        assertThat(badFileMessage(ImportOptions.of(ImportKind.MILESTONES, "-").withDryRun(true)))
                .contains("--format csv or --format jsonl");
        Path rejects = dir.resolve("stdin.rejects.csv");
        ImportSummary summary = importer(MILESTONE_HEADER + "S1,850511,CN,XX,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n")
                .run(ImportOptions.of(ImportKind.MILESTONES, "-").withFormat(InputFormat.CSV).withDryRun(true).withRejectFile(rejects));
        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(Files.readString(rejects)).contains("stdin,2,4,destination,BAD_COUNTRY,XX");
    }

    @Test
    void missingDirectoryAndEmptyFilesAreBadFiles() throws Exception {
        assertThat(badFileMessage(ImportOptions.of(ImportKind.LICENCES, dir.resolve("nope.csv").toString())))
                .endsWith("nope.csv does not exist");
        Files.createDirectory(dir.resolve("folder.csv"));
        assertThat(badFileMessage(ImportOptions.of(ImportKind.LICENCES, dir.resolve("folder.csv").toString())))
                .endsWith("folder.csv is a directory, not a licences file");
        assertThat(badFile(ImportKind.LICENCES, "zero.csv", new byte[0])).contains("zero.csv is empty (0 bytes)");
        assertThat(badFile(ImportKind.LICENCES, "blank.csv", "\n".getBytes())).contains("blank.csv line 1: the header is missing");
        assertThat(badFile(ImportKind.LICENCES, "licences.txt", "x".getBytes())).contains("cannot tell the format of");
    }

    @Test
    void wrongHeadersNameTheColumns() throws Exception {
        assertThat(badFile(ImportKind.LICENCES, "tariffs-by-mistake.csv", TARIFF_HEADER.getBytes()))
                .contains("line 1: wrong header, unknown columns change_id, announced_at")
                .contains("is this a licences file?");
        assertThat(badFile(ImportKind.LICENCES, "short-header.csv", "licence_id,decided_at,authority\n".getBytes()))
                .contains("missing columns exporter, importer, hs_code, decision");
        assertThat(badFile(ImportKind.LICENCES, "twice.csv", (LICENCE_HEADER.strip() + ",hs_code\n").getBytes()))
                .contains("column hs_code appears twice");
    }

    @Test
    void invalidUtf8IsABadFileNamingTheLine() throws Exception {
        byte[] good = (MILESTONE_HEADER + "S1,850511,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,Maersk\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "S2,850511,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,Sch\u00f6n\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] content = new byte[good.length + latin1.length];
        System.arraycopy(good, 0, content, 0, good.length);
        System.arraycopy(latin1, 0, content, good.length, latin1.length);
        assertThat(badFile(ImportKind.MILESTONES, "latin1.csv", content))
                .contains("latin1.csv line 3, character 72: invalid UTF-8 (bytes 0xF6)");
        assertThat(badFile(ImportKind.MILESTONES, "latin1.jsonl", "{\"shipment_id\":\"Sch\u00f6n\"}\n".getBytes(StandardCharsets.ISO_8859_1)))
                .contains("latin1.jsonl line 1, character 20: invalid UTF-8");
    }

    @Test
    void anOverLongLineIsABadFile() throws Exception {
        Path file = dir.resolve("long.csv");
        Files.writeString(file, MILESTONE_HEADER + "S1," + "9".repeat(500) + "\n");
        assertThat(badFileMessage(ImportOptions.of(ImportKind.MILESTONES, file.toString()).withDryRun(true).withMaxLineLength(200)))
                .contains("long.csv line 2 is longer than 200 characters");
    }

    @Test
    void aTruncatedLastLineIsABadFile() throws Exception {
        assertThat(badFile(ImportKind.MILESTONES, "cut.csv", (MILESTONE_HEADER
                + "S1,850511,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n"
                + "S2,850511,CN,US,ARR").getBytes()))
                .contains("cut.csv line 3: the last line is truncated (5 of 9 fields and no line break)");
        assertThat(badFile(ImportKind.MILESTONES, "cut.jsonl", "{\"shipment_id\":\"S1\"}\n{\"shipment_id\":\"S".getBytes()))
                .contains("cut.jsonl line 2: the last line is truncated");
        assertThat(badFile(ImportKind.MILESTONES, "quote.csv", (MILESTONE_HEADER + "S1,850511,CN,US,ARRIVED,\"2025").getBytes()))
                .contains("quote.csv line 2: a quoted field is never closed");
        assertThat(badFile(ImportKind.MILESTONES, "cut-utf8.csv", (MILESTONE_HEADER + "S1,\u00e9").getBytes(StandardCharsets.UTF_8).length > 0
                ? java.util.Arrays.copyOf((MILESTONE_HEADER + "S1,\u00e9").getBytes(StandardCharsets.UTF_8),
                (MILESTONE_HEADER + "S1,\u00e9").getBytes(StandardCharsets.UTF_8).length - 1) : new byte[0]))
                .contains("invalid UTF-8");
    }

    @Test
    void aShortRowThatEndsWithALineBreakIsAnOrdinaryReject() throws Exception {
        ImportSummary summary = dryRun(ImportKind.MILESTONES, "short-row.csv", MILESTONE_HEADER + "S1,850511\n");
        assertThat(summary.rejected()).isEqualTo(1);
    }

    @Test
    void stderrShowsTheFirstRejectsThenCounts() throws Exception {
        StringBuilder rows = new StringBuilder(MILESTONE_HEADER);
        for (int i = 0; i < 60; i++) {
            rows.append("S").append(i).append(",bad,CN,US,ARRIVED,2025-04-01T00:00:00Z,2025-04-02T00:00:00Z,1,C\n");
        }
        dryRun(ImportKind.MILESTONES, "many.csv", rows.toString());
        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(stderr.lines().filter(l -> l.contains("BAD") || l.contains("not an HS-6")).count()).isEqualTo(ImportOptions.DEFAULT_MAX_SHOWN);
        assertThat(stderr).contains("… and 10 more rejects, all in");
        assertThat(rejects("many.csv")).hasSize(60);
    }

    @Test
    void aBadFileIsReportedAsSuchEvenWithoutPublishing() {
        assertThatThrownBy(() -> importer("").run(ImportOptions.of(ImportKind.TARIFFS, dir.resolve("x.jsonl").toString())))
                .isInstanceOf(BadFileException.class);
    }
}
