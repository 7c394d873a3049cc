package org.jetlag.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jetlag.graph.TestGraphs.edge;
import static org.jetlag.graph.TestGraphs.graph;
import static org.jetlag.graph.TestGraphs.input;
import static org.jetlag.graph.TestGraphs.node;
import static org.jetlag.graph.TestGraphs.output;
import static org.jetlag.graph.TestGraphs.withBody;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ValidationTest {
  /** The one shape of a located error: {@code node 'n7' (matmul) port 'b': expected …, got …}. */
  private static final Pattern SHAPE =
      Pattern.compile("node '[^']+' \\([a-z_]+\\)( port '[^']+')?: .*expected .*, got .*");

  private static Diagnostic only(Graph g) {
    Validation.Result r = Validation.validate(g);
    assertThat(r.ok()).isFalse();
    assertThat(r.typed()).isEmpty();
    assertThat(r.errors()).hasSize(1);
    return r.errors().get(0);
  }

  private static void assertAt(Diagnostic d, String code, String node, String op, String port) {
    assertThat(d.code()).isEqualTo(code);
    assertThat(d.nodeId()).contains(node);
    assertThat(d.op()).contains(op);
    if (port == null) {
      assertThat(d.port()).isEmpty();
    } else {
      assertThat(d.port()).contains(port);
    }
    assertThat(d.isError()).isTrue();
  }

  private static Graph body(String carriedDType, String outDType) {
    return graph(
        input("w", carriedDType, 2L),
        input("X", "float64", 2L),
        node("m", "mul"),
        node("cast", "astype", "dtype", outDType),
        output("w"),
        edge("w:out", "m:a"),
        edge("X:out", "m:b"),
        edge("m:out", "cast:x"),
        edge("cast:out", "out_w:x"));
  }

  // ------------------------------------------------------------------ one code at a time

  @Test
  void typeMismatchNamesNodeOpPortExpectedAndActual() {
    Graph g =
        graph(
            input("x", "float64", 2L, 3L),
            input("w", "float64", 4L, 5L),
            node("n7", "matmul"),
            output("y"),
            edge("x:out", "n7:a"),
            edge("w:out", "n7:b"),
            edge("n7:out", "out_y:x"));
    Diagnostic d = only(g);
    assertAt(d, "type", "n7", "matmul", "b");
    assertThat(d)
        .hasToString(
            "node 'n7' (matmul) port 'b': expected rows 3 to match the columns of 'a'"
                + " float64[2,3], got float64[4,5]");
    assertThat(d.toString()).matches(SHAPE);
    assertThat(d.location()).isEqualTo("node 'n7' (matmul) port 'b'");
  }

  @Test
  void duplicateId() {
    Graph g = graph(input("x", "float64", 2L), node("x", "zeros", "shape", List.of(2L)));
    Diagnostic d = only(g);
    assertAt(d, "duplicate-id", "x", "zeros", null);
    assertThat(d).hasToString("node 'x' (zeros): the id is used by more than one node");
  }

  @Test
  void unknownOpSuggestsTheClosest() {
    Diagnostic d = only(graph(node("a", "matmull")));
    assertAt(d, "unknown-op", "a", "matmull", null);
    assertThat(d).hasToString("node 'a' (matmull): unknown op 'matmull'; did you mean 'matmul'?");
    assertThat(only(graph(node("a", "frobnicate"))).message()).isEqualTo("unknown op 'frobnicate'");
  }

  @Test
  void unknownParamSuggestsAndListsTheParams() {
    Diagnostic d = only(graph(node("z", "zeros", "shape", List.of(2L), "dtyp", "int32")));
    assertAt(d, "unknown-param", "z", "zeros", null);
    assertThat(d.message())
        .isEqualTo("unknown parameter 'dtyp'; did you mean 'dtype'?; zeros takes shape, dtype");
  }

  @Test
  void missingParam() {
    Diagnostic d = only(graph(node("z", "zeros")));
    assertAt(d, "missing-param", "z", "zeros", null);
    assertThat(d)
        .hasToString(
            "node 'z' (zeros): parameter 'shape': expected shape (dimensions of the result), got"
                + " none");
  }

  @Test
  void badParam() {
    Diagnostic d = only(graph(node("z", "zeros", "shape", List.of(2L), "dtype", "float16")));
    assertAt(d, "bad-param", "z", "zeros", null);
    assertThat(d.toString())
        .isEqualTo(
            "node 'z' (zeros): parameter 'dtype': expected a dtype (float64, float32, int64,"
                + " int32, bool), got \"float16\"");
  }

  @Test
  void missingAndUnexpectedBody() {
    Diagnostic d = only(graph(node("c", "composite")));
    assertAt(d, "missing-body", "c", "composite", null);
    assertThat(d).hasToString("node 'c' (composite): expected a body sub-graph, got none");
    Diagnostic u =
        only(
            graph(
                withBody("z", "zeros", graph(), "shape", List.of(1L)),
                output("o"),
                edge("z:out", "out_o:x")));
    assertAt(u, "unexpected-body", "z", "zeros", null);
  }

  @Test
  void loopBound() {
    Graph g =
        graph(
            input("w0", "float64", 2L),
            input("X", "float64", 2L),
            withBody("l", "loop", body("float64", "float64"), "count", 3L, "until", "w"),
            edge("w0:out", "l:w"),
            edge("X:out", "l:X"));
    List<Diagnostic> errs = Validation.validate(g).errors();
    assertThat(errs).extracting(Diagnostic::code).contains("loop-bound");
    assertThat(errs.get(0))
        .hasToString("node 'l' (loop): expected parameter 'count' or 'until', got both");
  }

  @Test
  void loopUntilMustNameABoolScalarOutput() {
    Graph missing =
        graph(
            input("w0", "float64", 2L),
            input("X", "float64", 2L),
            withBody("l", "loop", body("float64", "float64"), "until", "done"),
            edge("w0:out", "l:w"),
            edge("X:out", "l:X"));
    Diagnostic d = only(missing);
    assertAt(d, "loop-until", "l", "loop", null);
    assertThat(d.message())
        .isEqualTo("parameter 'until': expected the name of a body output [w], got \"done\"");

    Graph b = body("float64", "float64");
    Graph withDone =
        b.with(
            concat(b.nodes(), node("s", "sum"), output("done")),
            concat(b.edges(), edge("m:out", "s:x"), edge("s:out", "out_done:x")));
    Graph notBool =
        graph(
            input("w0", "float64", 2L),
            input("X", "float64", 2L),
            withBody("l", "loop", withDone, "until", "done"),
            edge("w0:out", "l:w"),
            edge("X:out", "l:X"));
    Diagnostic u = only(notBool);
    assertAt(u, "loop-until", "l", "loop", "done");
    assertThat(u)
        .hasToString(
            "node 'l' (loop) port 'done': the 'until' output: expected bool[], got" + " float64[]");
  }

  @Test
  void loopWithoutCarriedValue() {
    Graph b =
        graph(
            input("a", "float64", 2L),
            node("n", "neg"),
            output("b"),
            edge("a:out", "n:x"),
            edge("n:out", "out_b:x"));
    Graph g =
        graph(
            input("x", "float64", 2L), withBody("l", "loop", b, "count", 2L), edge("x:out", "l:a"));
    List<Diagnostic> errs = Validation.validate(g).errors();
    assertThat(errs).extracting(Diagnostic::code).containsExactly("loop-carried", "loop-output");
    assertThat(errs.get(0).message())
        .isEqualTo(
            "expected at least one body input with a same-named body output (a carried value),"
                + " got inputs [a] and outputs [b]");
    assertThat(errs.get(1).message())
        .isEqualTo(
            "body output 'b' is neither a carried value (no body input of that name) nor the"
                + " 'until' condition");
  }

  @Test
  void loopCarriedTypeChangeIsRejected() {
    Graph g =
        graph(
            input("w0", "float64", 2L),
            input("X", "float64", 2L),
            withBody("l", "loop", body("float64", "float32"), "count", 5L),
            output("w"),
            edge("w0:out", "l:w"),
            edge("X:out", "l:X"),
            edge("l:w", "out_w:x"));
    Diagnostic d = only(g);
    assertAt(d, "loop-type", "l", "loop", "w");
    assertThat(d)
        .hasToString(
            "node 'l' (loop) port 'w': carried value 'w': body output must keep the input's type:"
                + " expected float64[2], got float32[2]");
  }

  @Test
  void loopWithCountAndUntilBothValidate() {
    Graph counted =
        graph(
            input("w0", "float64", 2L),
            input("X", "float64", 2L),
            withBody("l", "loop", body("float64", "float64"), "count", 5L),
            output("w"),
            edge("w0:out", "l:w"),
            edge("X:out", "l:X"),
            edge("l:w", "out_w:x"));
    TypedGraph t = Validation.check(counted);
    assertThat(t.carried("l")).containsExactly("w");
    assertThat(t.inputPorts("l")).containsExactly("w", "X");
    assertThat(t.outputPorts("l")).containsExactly("w");
    assertThat(t.params("l")).containsEntry("count", 5L).containsEntry("max_iterations", 1000L);
    assertThat(t.body("l").order())
        .extracting(Node::id)
        .containsExactly("w", "X", "m", "cast", "out_w");

    Graph b = body("float64", "float64");
    Graph withDone =
        b.with(
            concat(
                b.nodes(),
                node("s", "sum"),
                node("big", "greater"),
                node("lim", "constant", "value", 10L),
                output("done")),
            concat(
                b.edges(),
                edge("m:out", "s:x"),
                edge("s:out", "big:a"),
                edge("lim:out", "big:b"),
                edge("big:out", "out_done:x")));
    Graph until =
        graph(
            input("w0", "float64", 2L),
            input("X", "float64", 2L),
            withBody("l", "loop", withDone, "until", "done", "max_iterations", 50L),
            output("w"),
            edge("w0:out", "l:w"),
            edge("X:out", "l:X"),
            edge("l:w", "out_w:x"));
    TypedGraph u = Validation.check(until);
    assertThat(u.outputPorts("l")).containsExactly("w");
    assertThat(u.type(new PortRef("l", "w"))).isEqualTo(TensorType.of(DType.FLOAT64, 2));
  }

  @Test
  void duplicateName() {
    Graph g =
        graph(
            node("a", "input", "name", "x", "shape", List.of(1L)),
            node("b", "input", "name", "x", "shape", List.of(1L)));
    Diagnostic d = only(g);
    assertAt(d, "duplicate-name", "b", "input", null);
    assertThat(d.message()).isEqualTo("another input is also named 'x'");
  }

  @Test
  void danglingEdge() {
    Graph g = graph(node("n", "neg"), edge("ghost:out", "n:x"));
    Diagnostic d = Validation.validate(g).errors().get(0);
    assertAt(d, "dangling-edge", "n", "neg", "x");
    assertThat(d)
        .hasToString(
            "node 'n' (neg) port 'x': edge ghost:out -> n:x: expected an existing node, got no"
                + " node 'ghost'");
    Diagnostic to = only(graph(input("x", "float64", 1L), edge("x:out", "nowhere:x")));
    assertThat(to.code()).isEqualTo("dangling-edge");
    assertThat(to.nodeId()).isEmpty();
    assertThat(to)
        .hasToString(
            "graph: edge x:out -> nowhere:x: expected an existing node, got no"
                + " node 'nowhere'");
  }

  @Test
  void unknownPort() {
    Graph g =
        graph(
            input("x", "float64", 2L),
            node("n", "neg"),
            output("y"),
            edge("x:out", "n:in"),
            edge("n:out", "out_y:x"),
            edge("x:out", "n:x"));
    Diagnostic d = only(g);
    assertAt(d, "unknown-port", "n", "neg", "in");
    assertThat(d)
        .hasToString(
            "node 'n' (neg) port 'in': edge x:out -> n:in: expected an input port [x],"
                + " got 'in'");
    // the refused edge also leaves the output's port unfed: a second, consequential error
    Diagnostic o =
        Validation.validate(
                graph(input("x", "float64", 2L), output("y"), edge("x:value", "out_y:x")))
            .errors()
            .get(0);
    assertAt(o, "unknown-port", "x", "input", "value");
  }

  @Test
  void doubleFeed() {
    Graph g =
        graph(
            input("x", "float64", 2L),
            input("z", "float64", 2L),
            node("n", "neg"),
            output("y"),
            edge("x:out", "n:x"),
            edge("z:out", "n:x"),
            edge("n:out", "out_y:x"));
    Diagnostic d = only(g);
    assertAt(d, "double-feed", "n", "neg", "x");
    assertThat(d)
        .hasToString(
            "node 'n' (neg) port 'x': expected one incoming edge, got two: x:out and" + " z:out");
  }

  @Test
  void missingInput() {
    Diagnostic d = only(graph(input("x", "float64", 2L), node("n", "add"), edge("x:out", "n:a")));
    assertAt(d, "missing-input", "n", "add", "b");
    assertThat(d).hasToString("node 'n' (add) port 'b': expected an incoming edge, got none");
    Diagnostic v = only(graph(node("c", "concat")));
    assertAt(v, "missing-input", "c", "concat", "arrays");
    assertThat(v.message()).isEqualTo("expected at least one edge into arrays.0, got none");
  }

  @Test
  void variadicGapsAndHugeIndicesAreReportedNotExpanded() {
    Graph gap =
        graph(
            input("x", "float64", 2L),
            node("c", "concat"),
            edge("x:out", "c:arrays.0"),
            edge("x:out", "c:arrays.2"));
    Diagnostic d = only(gap);
    assertAt(d, "unknown-port", "c", "concat", "arrays.2");
    Graph huge =
        graph(input("x", "float64", 2L), node("c", "concat"), edge("x:out", "c:arrays.2000000000"));
    List<Diagnostic> errs = Validation.validate(huge).errors();
    assertThat(errs).extracting(Diagnostic::code).containsExactly("unknown-port", "missing-input");
  }

  @Test
  void cycle() {
    Graph g =
        graph(
            node("a", "neg"),
            node("b", "neg"),
            node("c", "neg"),
            edge("a:out", "b:x"),
            edge("b:out", "c:x"),
            edge("c:out", "a:x"));
    Diagnostic d = only(g);
    assertAt(d, "cycle", "a", "neg", null);
    assertThat(d)
        .hasToString(
            "node 'a' (neg): expected an acyclic graph, got a cycle through nodes a, b, c");
    Diagnostic self = only(graph(node("a", "neg"), edge("a:out", "a:x")));
    assertAt(self, "cycle", "a", "neg", "x");
    assertThat(self.message()).isEqualTo("the node feeds itself: a:out -> a:x");
  }

  @Test
  void diagnosticsInsideBodiesArePrefixedWithTheirParent() {
    Graph inner =
        graph(
            input("v", "float64", 2L),
            node("n", "sqrtt"),
            output("v"),
            edge("v:out", "n:x"),
            edge("n:out", "out_v:x"));
    Graph g =
        graph(input("x", "float64", 2L), withBody("c", "composite", inner), edge("x:out", "c:v"));
    List<Diagnostic> errs = Validation.validate(g).errors();
    assertThat(errs).isNotEmpty();
    assertThat(errs.get(0).nodeId()).contains("c/n");
    assertThat(errs.get(0))
        .hasToString("node 'c/n' (sqrtt): unknown op 'sqrtt'; did you mean 'sqrt'?");
  }

  // ------------------------------------------------------------------ all at once

  @Test
  void everyProblemIsReportedAtOnce() {
    Graph g =
        graph(
            input("x", "float64", 2L, 3L),
            input("w", "int64", 4L, 5L),
            node("n1", "matmul"),
            node("n2", "zeros", "shape", List.of(2L), "dtyp", "int32"),
            node("n3", "sqrtt"),
            node("n4", "add"),
            node("n5", "sum", "axis", List.of(7L)),
            output("y"),
            edge("x:out", "n1:a"),
            edge("w:out", "n1:b"),
            edge("x:out", "n4:a"),
            edge("x:out", "n5:x"),
            edge("ghost:out", "out_y:x"));
    Validation.Result r = Validation.validate(g);
    assertThat(r.errors())
        .extracting(Diagnostic::code, d -> d.nodeId().orElse(""))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("unknown-param", "n2"),
            org.assertj.core.groups.Tuple.tuple("unknown-op", "n3"),
            org.assertj.core.groups.Tuple.tuple("dangling-edge", "out_y"),
            org.assertj.core.groups.Tuple.tuple("missing-input", "n4"),
            // the dangling edge also leaves the output's port unfed
            org.assertj.core.groups.Tuple.tuple("missing-input", "out_y"),
            org.assertj.core.groups.Tuple.tuple("type", "n1"),
            org.assertj.core.groups.Tuple.tuple("type", "n5"));
    assertThatThrownBy(() -> Validation.check(g))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("7 problems:\n  node ")
        .satisfies(e -> assertThat(((ValidationException) e).diagnostics()).hasSize(7))
        .satisfies(e -> assertThat(((ValidationException) e).nodeId()).isPresent());
  }

  @Test
  void aValidGraphIsTypedInTopologicalOrder() {
    Graph g =
        graph(
            output("p"),
            node("sig", "sigmoid"),
            node("mm", "matmul"),
            input("X", "float32", null, 3L),
            input("w", "float32", 3L),
            edge("sig:out", "out_p:x"),
            edge("mm:out", "sig:x"),
            edge("X:out", "mm:a"),
            edge("w:out", "mm:b"));
    TypedGraph t = Validation.check(g);
    assertThat(t.order()).extracting(Node::id).containsExactly("X", "w", "mm", "sig", "out_p");
    assertThat(t.type(new PortRef("mm", "out"))).hasToString("float32[?]");
    assertThat(t.inputType("sig", "x")).hasToString("float32[?]");
    assertThat(t.source("mm", "b")).isEqualTo(new PortRef("w", "out"));
    assertThat(t.consumers(new PortRef("X", "out"))).containsExactly(new PortRef("mm", "a"));
    assertThat(t.inputNode("w")).map(Node::id).contains("w");
    assertThat(t.spec("mm").name()).isEqualTo("matmul");
    assertThat(t.params("X")).containsEntry("dtype", DType.FLOAT32);
    assertThat(t.warnings()).isEmpty();
    assertThatThrownBy(() -> t.spec("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }

  private static <T> List<T> concat(List<T> a, @SuppressWarnings("unchecked") T... more) {
    List<T> l = new java.util.ArrayList<>(a);
    l.addAll(List.of(more));
    return l;
  }
}
