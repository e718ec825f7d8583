package io.chokepoint.alerts.routing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a routing file holds, loading it gives a routing tree or one {@link RoutingConfigException} naming the file. */
class HostileRoutingFuzzTest {

    private static final String VALID = """
            route: {receiver: hook, group_by: [hs_code], group_wait: 30s}
            receivers:
              - name: hook
                webhook: {url: "http://127.0.0.1:9/hook"}
            """;

    @Provide
    Arbitrary<String> yamlish() {
        return Arbitraries.strings().withChars(":-[]{}&*!|>'\"#,%@=~ \n\t").withCharRange('a', 'z').withCharRange('0', '9')
                .ofMaxLength(300);
    }

    @Provide
    Arbitrary<String> mutatedRouting() {
        return Arbitraries.integers().between(0, VALID.length()).flatMap(at -> yamlish().map(noise ->
                VALID.substring(0, at) + noise + VALID.substring(at)));
    }

    @Property(tries = 300)
    void random_yaml_is_a_routing_tree_or_one_clear_error(@ForAll("yamlish") String text) {
        loadsOrExplains(text);
    }

    @Property(tries = 300)
    void a_valid_routing_file_with_noise_inserted_is_a_tree_or_one_clear_error(@ForAll("mutatedRouting") String text) {
        loadsOrExplains(text);
    }

    @Example
    void aliases_are_never_expanded() {
        // Jackson's streaming YAML reader does not follow aliases: an alias bomb is one short error, not an expansion
        loadsOrExplains("""
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                route: *c
                """);
    }

    private static void loadsOrExplains(String text) {
        try {
            assertThat(RoutingConfigLoader.parse(text, "fuzz.yaml", key -> Optional.empty())).isNotNull();
        } catch (RoutingConfigException e) {
            assertThat(e.getMessage()).contains("fuzz.yaml");
        }
    }
}
