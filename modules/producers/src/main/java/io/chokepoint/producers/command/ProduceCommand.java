package io.chokepoint.producers.command;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.producers.EventPublisher;
import io.chokepoint.producers.PublishException;
import io.chokepoint.producers.importer.BadFileException;
import io.chokepoint.producers.importer.ImportKind;
import io.chokepoint.producers.importer.ImportOptions;
import io.chokepoint.producers.importer.ImportSummary;
import io.chokepoint.producers.importer.Importer;
import io.chokepoint.producers.importer.InputFormat;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code chokepoint produce licences|tariffs|milestones --file F}: validate a file and publish its rows. */
@Command(name = "produce",
        description = {
                "Validate a CSV or JSON-lines file of licences, tariffs or shipment milestones and publish its valid rows.",
                "Every rejected row is reported on stderr as file:line:column: field: reason and in a reject file next to the input (F.rejects.csv).",
                "Re-importing a file publishes the same event ids, so nothing is counted twice.",
                "Exit status: 0 all rows published, 2 rows rejected or the file is unusable, 1 Kafka or registry failure."},
        footer = {"", "Examples:",
                "  chokepoint produce milestones --file shipments.csv",
                "  chokepoint produce licences --file licences.jsonl --atomic",
                "  zcat tariffs.csv.gz | chokepoint produce tariffs -f - --format csv --dry-run"})
public final class ProduceCommand implements Callable<Integer> {

    /** Set by the CLI before {@link #call()}. */
    public ChokepointConfig config;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Parameters(index = "0", paramLabel = "KIND", description = "licences, tariffs or milestones")
    String kind;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "input file, or - for standard input")
    String file;

    @Option(names = "--format", paramLabel = "csv|jsonl", description = "input format (default: from the file extension)")
    String format;

    @Option(names = "--dry-run", description = "validate and report only; publish nothing (no broker needed)")
    boolean dryRun;

    @Option(names = "--atomic", description = "publish all rows in one Kafka transaction, or none if any row is rejected")
    boolean atomic;

    @Option(names = "--rejects", paramLabel = "FILE", description = "where to write the reject report (default: next to the input)")
    Path rejects;

    @Option(names = "--max-line-length", paramLabel = "CHARS", description = "longest accepted line (default: ${DEFAULT-VALUE})",
            defaultValue = "" + ImportOptions.DEFAULT_MAX_LINE_LENGTH)
    int maxLineLength;

    InputStream in = System.in;
    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        ImportKind importKind = Arrays.stream(ImportKind.values()).filter(k -> k.word().equalsIgnoreCase(kind.strip()))
                .findFirst().orElse(null);
        if (importKind == null) {
            err.println("error: '" + kind + "' is not a kind of input; use licences, tariffs or milestones");
            return 2;
        }
        InputFormat inputFormat = null;
        if (format != null) {
            try {
                inputFormat = InputFormat.valueOf(format.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                err.println("error: --format '" + format + "' is not csv or jsonl");
                return 2;
            }
        }
        if (dryRun && atomic) {
            err.println("error: --dry-run publishes nothing, so --atomic has no meaning with it");
            return 2;
        }
        if (maxLineLength < 80) {
            err.println("error: --max-line-length must be at least 80 characters");
            return 2;
        }
        ImportOptions options = ImportOptions.of(importKind, file).withFormat(inputFormat).withDryRun(dryRun).withAtomic(atomic)
                .withRejectFile(rejects).withMaxLineLength(maxLineLength);
        Importer importer = new Importer(mode -> {
            TopicSetup.ensure(config);
            return EventPublisher.create(config, mode);
        }, in, err, System.console() != null);
        try {
            ImportSummary summary = importer.run(options);
            out.println(summary.line());
            return summary.clean() ? 0 : 2;
        } catch (BadFileException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (ChokepointConfig.ConfigProblem e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (PublishException | KafkaException | IllegalStateException e) {
            err.println("error: publishing " + importKind.word() + " from " + (options.fromStdin() ? "stdin" : file)
                    + " failed: " + firstLine(e));
            return 1;
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return Optional.ofNullable(root.getMessage()).map(m -> m.lines().findFirst().orElse(m)).orElse(root.getClass().getSimpleName());
    }
}
