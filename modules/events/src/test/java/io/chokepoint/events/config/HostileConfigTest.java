package io.chokepoint.events.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A config file as an attacker or a careless colleague might write it. */
class HostileConfigTest {

    static final String BILLION_LAUGHS = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """;

    @Test
    void billion_laughs_aliases_are_refused_in_one_sentence(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("laughs.yaml"), BILLION_LAUGHS);
        assertThatThrownBy(() -> ChokepointConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ChokepointConfig.ConfigProblem.class)
                .hasMessageStartingWith("config file " + file)
                .hasMessageContaining("line 2").hasMessageContaining("aliases");
    }

    @Test
    void a_java_type_tag_instantiates_nothing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tag.yaml"), """
                bootstrap.servers: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/"]]]]
                """);
        // Jackson reads YAML as a tree of plain values: tags are not constructors. Either the value is ignored text or the file is refused.
        try {
            ChokepointConfig config = ChokepointConfig.load(Optional.of(file), Map.of(), Map.of());
            assertThat(config.find("bootstrap.servers").orElse("")).doesNotContain("@");
        } catch (ChokepointConfig.ConfigProblem e) {
            assertThat(e.getMessage()).startsWith("config file ");
        }
    }

    @Test
    void a_config_file_with_secrets_readable_by_others_gets_a_warning(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("chokepoint.properties"), """
                bootstrap.servers=broker:9093
                kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="ingest" password="pw";
                http.auth.token=tok
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ChokepointConfig open = ChokepointConfig.load(Optional.of(file), Map.of(), Map.of());
        assertThat(open.warnings()).singleElement().asString()
                .contains("holds secrets (http.auth.token, kafka.sasl.jaas.config)").contains("every user").contains("chmod 600")
                .doesNotContain("pw").doesNotContain("tok\"");
        assertThat(open.redacted()).containsEntry("kafka.sasl.jaas.config", "[redacted]").containsEntry("http.auth.token", "[redacted]")
                .containsEntry("bootstrap.servers", "broker:9093");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(ChokepointConfig.load(Optional.of(file), Map.of(), Map.of()).warnings()).isEmpty();
    }

    @Test
    void a_readable_config_file_without_secrets_is_fine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("chokepoint.properties"), "bootstrap.servers=broker:9093\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ChokepointConfig.load(Optional.of(file), Map.of(), Map.of()).warnings()).isEmpty();
    }
}
