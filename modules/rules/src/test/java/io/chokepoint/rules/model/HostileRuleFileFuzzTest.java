package io.chokepoint.rules.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whatever a rule file holds, the parser returns rules or one {@link RuleFileException} naming the file; nothing else. */
class HostileRuleFileFuzzTest {

    private static final RuleParser PARSER = new RuleParser();
    private static final String VALID = """
            rules:
              - name: slow
                expr: p95_delay_hours > 48
                for: 10m
                severity: WARNING
            """;

    @Provide
    Arbitrary<String> yamlish() {
        return Arbitraries.strings().withChars(":-[]{}&*!|>'\"#,%@ \n\t").withCharRange('a', 'z').withCharRange('0', '9')
                .ofMaxLength(300);
    }

    @Provide
    Arbitrary<String> mutatedRules() {
        return Arbitraries.integers().between(0, VALID.length()).flatMap(at -> yamlish().map(noise ->
                VALID.substring(0, at) + noise + VALID.substring(at)));
    }

    @Property(tries = 300)
    void random_yaml_is_rules_or_one_clear_error(@ForAll("yamlish") String text) {
        parsesOrExplains(text);
    }

    @Property(tries = 300)
    void a_valid_rule_file_with_noise_inserted_is_rules_or_one_clear_error(@ForAll("mutatedRules") String text) {
        parsesOrExplains(text);
    }

    @Example
    void billion_laughs_aliases_are_refused() {
        String laughs = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                rules: *g
                """;
        assertThatThrownBy(() -> PARSER.parse(laughs, "laughs.yaml")).isInstanceOf(RuleFileException.class)
                .hasMessageContaining("laughs.yaml");
    }

    @Example
    void a_java_type_tag_is_an_error_not_an_object() {
        assertThatThrownBy(() -> PARSER.parse("rules: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n", "tag.yaml"))
                .isInstanceOf(RuleFileException.class).hasMessageContaining("tag.yaml");
    }

    private static void parsesOrExplains(String text) {
        try {
            assertThat(PARSER.parse(text, "fuzz.yaml")).isNotNull();
        } catch (RuleFileException e) {
            assertThat(e.getMessage()).contains("fuzz.yaml");
        }
    }
}
