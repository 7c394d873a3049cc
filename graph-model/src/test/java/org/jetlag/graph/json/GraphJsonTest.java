package org.jetlag.graph.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jetlag.graph.Graph;
import org.jetlag.graph.GraphFormatException;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.Position;
import org.jetlag.graph.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GraphJsonTest {
  static String resource(String name) throws IOException {
    try (InputStream in = GraphJsonTest.class.getResourceAsStream("/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // ------------------------------------------------------------------ goldens

  @ParameterizedTest
  @ValueSource(strings = {"golden/all-features.json", "golden/format-example.json"})
  void readThenWriteGivesTheIdenticalBytes(String name) throws IOException {
    String text = resource(name);
    Graph g = GraphJson.parse(text, name);
    assertThat(GraphJson.write(g)).isEqualTo(text);
    assertThat(Validation.validate(g).diagnostics()).as(name).isEmpty();
  }

  @Test
  void goldenHoldsEveryParameterTypeALoopACompositeAndPositions() throws IOException {
    Graph g = GraphJson.parse(resource("golden/all-features.json"), "all-features.json");
    Node x = g.node("X").orElseThrow();
    assertThat(x.params().get("shape")).isEqualTo(java.util.Arrays.asList(null, 3L));
    assertThat(x.position()).contains(new Position(40, 80));
    assertThat(g.node("scale").orElseThrow().params()).containsEntry("fill_value", 2.5);
    assertThat(g.node("total").orElseThrow().params())
        .containsEntry("axis", List.of(0L))
        .containsEntry("keepdims", true);
    assertThat(g.node("fit").orElseThrow().body()).isPresent();
    assertThat(g.node("score").orElseThrow().body().orElseThrow().name()).isEqualTo("score-body");
    assertThat(g.node("out_small").orElseThrow().position()).contains(new Position(600, -12.25));
    var t = Validation.check(g);
    assertThat(t.type(new org.jetlag.graph.PortRef("small", "out"))).hasToString("float32[2,3]");
    var types = new java.util.LinkedHashSet<>();
    for (Node n : g.nodes()) {
      t.spec(n.id())
          .params()
          .forEach(
              p -> {
                if (n.params().containsKey(p.name())) {
                  types.add(p.type());
                }
              });
    }
    assertThat(types).containsAll(List.of(org.jetlag.graph.ops.ParamType.values()));
  }

  @Test
  void writeIsCanonicalForBuiltGraphs() {
    var b = org.jetlag.graph.build.GraphBuilder.create("built");
    var x = b.input("x", org.jetlag.graph.DType.FLOAT64, org.jetlag.graph.Shape.of(-1, 2));
    b.output("y", x.mul(2).add(b.vector(1, 2)).sum(0));
    Graph g = b.build();
    String text = GraphJson.write(g);
    assertThat(GraphJson.parse(text, "mem")).isEqualTo(g);
    assertThat(text)
        .startsWith(
            "{\n  \"formatVersion\": 1,\n  \"name\": \"built\",\n  \"nodes\": [\n    {\"id\":")
        .endsWith("]\n}\n")
        .contains("{\"from\": \"x:out\", \"to\": \"mul_1:a\"}");
  }

  // ------------------------------------------------------------------ strictness

  private static final String NODE = "{\"id\": \"a\", \"op\": \"neg\"}";

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "malformed JSON",
            "{\"formatVersion\": 1,\n  \"nodes\": [\n    {\"id\": \"a\", \"op\": \"neg\",]}",
            "g.json: malformed JSON at line 3, column 29 (in nodes[0].op)"),
        Arguments.of(
            "unknown top-level key",
            "{\"formatVersion\": 1, \"nodes\": [], \"nodez\": []}",
            "g.json: unknown key \"nodez\"; expected one of [formatVersion, name, description,"
                + " nodes, edges]"),
        Arguments.of(
            "unknown node key",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"a\", \"op\": \"neg\", \"pos\": 1}]}",
            "g.json: nodes[0]: unknown key \"pos\"; expected one of [id, op, params, position,"
                + " body]"),
        Arguments.of(
            "id of the wrong type",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": 7, \"op\": \"neg\"}]}",
            "g.json: nodes[0]: \"id\": expected a string, got 7"),
        Arguments.of(
            "params not an object",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"a\", \"op\": \"neg\", \"params\": []}]}",
            "g.json: nodes[0] (id 'a'): \"params\": expected an object, got an array"),
        Arguments.of(
            "null parameter",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"a\", \"op\": \"neg\", \"params\":"
                + " {\"k\": null}}]}",
            "g.json: nodes[0] (id 'a').params.k: expected a value, got null"),
        Arguments.of(
            "object parameter",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"a\", \"op\": \"neg\", \"params\":"
                + " {\"k\": [1, {}]}}]}",
            "g.json: nodes[0] (id 'a').params.k[1]: expected a number, string, boolean or list,"
                + " got an object"),
        Arguments.of(
            "bad position",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"a\", \"op\": \"neg\", \"position\":"
                + " {\"x\": 1}}]}",
            "g.json: nodes[0] (id 'a'): \"position\": expected {\"x\": number, \"y\": number}"),
        Arguments.of(
            "bad id",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"1a\", \"op\": \"neg\"}]}",
            "g.json: nodes[0] (id '1a'): node id \"1a\" must start with a letter or '_'"),
        Arguments.of(
            "edge not an object",
            "{\"formatVersion\": 1, \"nodes\": [" + NODE + "], \"edges\": [\"a:out\"]}",
            "g.json: edges[0]: expected {\"from\": \"node:port\", \"to\": \"node:port\"}"),
        Arguments.of(
            "edge with empty port",
            "{\"formatVersion\": 1, \"nodes\": ["
                + NODE
                + "], \"edges\": [{\"from\": \"a:\","
                + " \"to\": \"a:x\"}]}",
            "g.json: edges[0]: expected \"node:port\", got \"a:\""),
        Arguments.of(
            "missing formatVersion",
            "{\"nodes\": []}",
            "g.json: \"formatVersion\": expected an integer (1), got none"),
        Arguments.of(
            "formatVersion not an integer",
            "{\"formatVersion\": \"1\", \"nodes\": []}",
            "g.json: \"formatVersion\": expected an integer (1), got \"1\""),
        Arguments.of(
            "newer formatVersion",
            "{\"formatVersion\": 2, \"nodes\": []}",
            "g.json: \"formatVersion\": this JetLag reads versions 1 to 1, got 2"),
        Arguments.of(
            "formatVersion beyond 64 bits",
            "{\"formatVersion\": 18446744073709551617, \"nodes\": []}",
            "g.json: \"formatVersion\": expected an integer (1), got 18446744073709551617"),
        Arguments.of(
            "integer overflow",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"a\", \"op\": \"neg\", \"params\":"
                + " {\"n\": 9223372036854775808}}]}",
            "g.json: nodes[0] (id 'a').params.n: integer 9223372036854775808 does not fit in 64"
                + " bits"),
        Arguments.of(
            "duplicate key",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"a\", \"op\": \"neg\", \"params\":"
                + " {\"x\": 1, \"x\": 2}}]}",
            "g.json: malformed JSON at line 1, column 79 (in nodes[0].params.x): Duplicate field"
                + " 'x'"),
        Arguments.of(
            "duplicate top-level key",
            "{\"formatVersion\": 1, \"formatVersion\": 1, \"nodes\": []}",
            "g.json: malformed JSON at line 1, column 37 (in formatVersion): Duplicate field"
                + " 'formatVersion'"),
        Arguments.of(
            "body error names the path",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"l\", \"op\": \"loop\", \"body\":"
                + " {\"nodes\": 3}}]}",
            "g.json: nodes[0] (id 'l').body: \"nodes\": expected an array, got 3"),
        Arguments.of(
            "formatVersion inside a body",
            "{\"formatVersion\": 1, \"nodes\": [{\"id\": \"l\", \"op\": \"loop\", \"body\":"
                + " {\"formatVersion\": 1, \"nodes\": []}}]}",
            "g.json: nodes[0] (id 'l').body: unknown key \"formatVersion\""),
        Arguments.of(
            "trailing content",
            "{\"formatVersion\": 1, \"nodes\": []} x",
            "g.json: malformed JSON"),
        Arguments.of("empty document", "", "g.json: empty document, expected a graph object"),
        Arguments.of("not an object", "[]", "g.json: expected a graph object, got an array"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void strictReaderNamesSourceAndPath(String what, String text, String message) {
    assertThatThrownBy(() -> GraphJson.parse(text, "g.json"))
        .as(what)
        .isInstanceOf(GraphFormatException.class)
        .isInstanceOf(JetLagException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void readNamesTheFile(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> GraphJson.read(missing))
        .isInstanceOf(GraphFormatException.class)
        .hasMessage(missing + ": no such file");
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"formatVersion\": 1}");
    assertThatThrownBy(() -> GraphJson.read(bad))
        .isInstanceOf(GraphFormatException.class)
        .hasMessage(bad + ": \"nodes\": expected an array, got none");
  }

  // ------------------------------------------------------------------ files

  @Test
  void writeThenReadAFile(@TempDir Path dir) throws IOException {
    Graph g = GraphJson.parse(resource("golden/all-features.json"), "golden");
    Path f = dir.resolve("g.json");
    GraphJson.write(g, f);
    GraphJson.write(g, f); // replaces
    assertThat(GraphJson.read(f)).isEqualTo(g);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void atomicWriteIntoAMissingFolderThrowsAndLeavesNothing(@TempDir Path dir) throws IOException {
    Graph g = Graph.of("g", "", List.of(), List.of());
    Path f = dir.resolve("missing").resolve("g.json");
    assertThatThrownBy(() -> GraphJson.write(g, f))
        .isInstanceOf(JetLagException.class)
        .hasMessageStartingWith(f + ": cannot write");
    assertThat(dir.resolve("missing")).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
