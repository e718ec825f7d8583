package io.chokepoint.alerts.support;

import io.chokepoint.alerts.AlertsService;
import io.chokepoint.events.config.ChokepointConfig;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** A dispatcher in its own JVM, so a test can kill it with SIGKILL mid-delivery. Arg: a properties file. */
public final class DispatcherProcess {

    private DispatcherProcess() {
    }

    /** Writes the settings a dispatcher JVM is started with (see {@link #launch}) and returns the file. */
    public static Path writeSettings(Path file, Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        p.putAll(settings);
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "dispatcher under test");
        }
        return file;
    }

    /** Starts a dispatcher JVM on the test class path with the settings of a properties file; its output goes to {@code log}. */
    public static Process launch(Path properties, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DispatcherProcess.class.getName(), properties.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            props.load(r);
        }
        Map<String, String> values = new HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        AlertsService service = AlertsService.start(ChokepointConfig.of(values), System.out);
        System.out.println("DISPATCHER STARTED http=" + service.httpPort());
        Thread.sleep(Long.MAX_VALUE);
    }
}
