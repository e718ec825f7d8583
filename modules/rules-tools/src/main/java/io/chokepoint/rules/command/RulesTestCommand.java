package io.chokepoint.rules.command;

import io.chokepoint.events.config.ChokepointConfig;
import io.chokepoint.rules.evaluation.RuleSettings;
import io.chokepoint.rules.model.RuleFileException;
import io.chokepoint.rules.model.RuleSet;
import io.chokepoint.rules.testing.RuleTestFile;
import io.chokepoint.rules.testing.RuleTestRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chokepoint rules test FILE…}: promtool-style rule unit tests, offline. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run rule test files: input stats series in compact notation, expected alerts at evaluation times. "
                + "Runs the real rule topology in-process (no broker, no registry). Exit 0 when every test passes, "
                + "1 when any expectation differs (a diff is printed), 2 when a file is invalid."},
        footer = {"", "Example:", "  chokepoint rules test rules/magnets.test.yaml rules/licences.test.yaml",
                "  chokepoint rules test --shipped          # the tests of the default rules"})
public final class RulesTestCommand implements Callable<Integer> {

    public ChokepointConfig config;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Rule test files (YAML).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--shipped", description = "Also run the shipped tests of the default rules.")
    boolean shipped;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.isEmpty() && !shipped) {
            err.println("rules test: name at least one test FILE (or --shipped)");
            return 2;
        }
        RuleTestRunner runner = new RuleTestRunner(config == null ? RuleSettings.defaults() : RuleSettings.from(config));
        List<RuleTestFile> parsed = new ArrayList<>();
        try {
            if (shipped) {
                parsed.add(shippedTests());
            }
            for (Path f : files) {
                parsed.add(RuleTestFile.parse(Files.readString(f, StandardCharsets.UTF_8), f));
            }
        } catch (NoSuchFileException e) {
            err.println("rules test: " + e.getFile() + ": file does not exist");
            return 2;
        } catch (IOException e) {
            err.println("rules test: cannot read " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return 2;
        }
        int total = 0;
        int failed = 0;
        for (RuleTestFile file : parsed) {
            List<RuleTestRunner.Outcome> outcomes;
            try {
                outcomes = runner.run(file);
            } catch (RuleFileException e) {
                err.println(e.getMessage());
                return 2;
            }
            for (RuleTestRunner.Outcome o : outcomes) {
                total++;
                if (o.passed()) {
                    out.println("PASS  " + o.file() + ": " + o.test());
                } else {
                    failed++;
                    out.println("FAIL  " + o.file() + ": " + o.test());
                    o.diff().forEach(line -> out.println("      " + line));
                }
            }
        }
        out.println(total + " test(s), " + (total - failed) + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static RuleTestFile shippedTests() throws IOException {
        String resource = "/io/chokepoint/rules/default-rules.test.yaml";
        try (InputStream in = RuleSet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " (missing from the classpath)");
            }
            // the shipped file names only 'default' rules, so its directory does not matter
            return RuleTestFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), Path.of("default-rules.test.yaml"));
        }
    }
}
