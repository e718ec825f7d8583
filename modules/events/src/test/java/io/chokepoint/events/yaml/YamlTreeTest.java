package io.chokepoint.events.yaml;

import io.chokepoint.events.yaml.YamlNode.Mapping;
import io.chokepoint.events.yaml.YamlNode.Scalar;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlTreeTest {

    private final List<YamlProblem> problems = new ArrayList<>();

    private YamlNode parse(String yaml) {
        return YamlTree.parse(yaml, "f.yaml", problems).orElseThrow();
    }

    @Test
    void every_node_knows_its_line_column_and_path() {
        Mapping root = parse("""
                route:
                  routes:
                    - receiver: ops
                      group_wait: 5x
                """).asMapping();
        YamlNode wait = root.required("route").asMapping().required("routes").items().get(0).asMapping().required("group_wait");
        assertThat(wait.problem("must be a duration").toString())
                .isEqualTo("f.yaml:4:19: route.routes[0].group_wait: must be a duration");
        assertThat(root.keys().get("route")).extracting(YamlNode::line, YamlNode::column).containsExactly(1, 1);
        assertThat(problems).isEmpty();
    }

    @Test
    void a_key_given_twice_keeps_the_first_value_and_is_reported_at_the_second() {
        Mapping root = parse("a: 1\nb: 2\na: 3\n").asMapping();
        assertThat(root.required("a").text()).isEqualTo("1");
        assertThat(problems).extracting(YamlProblem::toString).containsExactly("f.yaml:3:1: a: appears twice");
    }

    @Test
    void a_key_that_is_not_a_plain_word_is_reported() {
        parse("[x, y]: 1\n");
        assertThat(problems).extracting(YamlProblem::message).containsExactly("field names must be plain words");
    }

    @Test
    void unknown_fields_are_named_at_their_key_with_the_known_ones() {
        Mapping root = parse("group_wiat: 30s\nreceiver: ops\n").asMapping();
        assertThat(root.unknownFields(List.of("receiver", "group_wait"))).extracting(YamlProblem::toString)
                .containsExactly("f.yaml:1:1: group_wiat: unknown field (known: receiver, group_wait)");
        assertThat(root.unknownFields(List.of("receiver"), "rules[0](r)")).extracting(YamlProblem::field)
                .containsExactly("rules[0](r).group_wiat");
    }

    @Test
    void null_and_blank_values_and_wrong_shapes_say_what_was_expected() {
        Mapping root = parse("empty:\nblank: ''\nlist: [1]\nnothing: ~\n").asMapping();
        assertThat(root.entries().get("empty")).isInstanceOfSatisfying(Scalar.class, s -> assertThat(s.isNull()).isTrue());
        assertThat(root.get("empty")).isEmpty();
        assertThat(root.required("list").items()).hasSize(1);
        assertThatThrownBy(() -> root.required("empty")).hasMessage("f.yaml:1:7: empty: is required");
        assertThatThrownBy(() -> root.required("absent")).hasMessage("f.yaml:1:1: absent: is required");
        assertThatThrownBy(() -> root.required("blank").text()).hasMessage("f.yaml:2:8: blank: must not be empty");
        assertThatThrownBy(() -> root.required("list").text()).hasMessage("f.yaml:3:7: list: must be a single value, not a list or mapping");
        assertThatThrownBy(() -> root.required("list").asMapping()).hasMessage("f.yaml:3:7: list: must be a mapping (key: value lines)");
        assertThat(root.entries().get("nothing").items()).isEmpty();
    }

    @Test
    void text_that_is_not_yaml_is_one_located_problem() {
        assertThatThrownBy(() -> YamlTree.parse("a: [1, 2\nb: 3\n", "f.yaml", problems))
                .isInstanceOfSatisfying(InvalidYamlException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.getMessage()).startsWith("f.yaml:").contains(": not valid YAML: ");
                });
    }

    @Test
    void an_empty_document_has_no_root() {
        assertThat(YamlTree.parse("# only a comment\n", "f.yaml", problems)).isEmpty();
    }

    @Test
    void aliases_cannot_expand_into_a_billion_laughs() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            yaml.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
        }
        assertThatThrownBy(() -> YamlTree.parse(yaml.toString(), "laughs.yaml", problems))
                .isInstanceOf(InvalidYamlException.class).hasMessageStartingWith("laughs.yaml")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void a_java_type_tag_is_refused_never_instantiated() {
        assertThatThrownBy(() -> YamlTree.parse("x: !!java.io.File [\"/etc/passwd\"]\n", "f.yaml", problems))
                .isInstanceOf(InvalidYamlException.class)
                .hasMessage("f.yaml:1:4: not valid YAML: Global tag is not allowed: tag:yaml.org,2002:java.io.File");
    }
}
