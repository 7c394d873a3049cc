package org.jetlag.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.jetlag.graph.DType;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ValidationException;
import org.jetlag.graph.json.GraphJson;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

  /** The example in docs/java-api.md is copied from this method; keep them in step. */
  static Graph logisticRegression() {
    GraphBuilder g = GraphBuilder.create("logreg");
    Tensor xs = g.input("X", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 3));
    Tensor ys = g.input("y", DType.FLOAT64, Shape.of(Shape.UNKNOWN));

    Loop fit = g.loop(100);
    Tensor w = fit.carry("w", g.zeros(3));
    Tensor x = fit.fixed("X", xs);
    Tensor y = fit.fixed("y", ys);
    Tensor p = x.matmul(w).sigmoid();
    Tensor grad = x.T().matmul(p.sub(y));
    fit.update("w", w.sub(grad.mul(0.1)));
    Tensor wFit = fit.end().get("w");

    g.output("w", wFit);
    g.output("p", xs.matmul(wFit).sigmoid());
    return g.build();
  }

  @Test
  void logisticRegressionWithALoopChecksClean() {
    Graph graph = logisticRegression();
    TypedGraph t = org.jetlag.graph.Validation.check(graph);
    assertThat(t.warnings()).isEmpty();
    Node loop = graph.node("loop_1").orElseThrow();
    assertThat(loop.params()).containsEntry("count", 100L);
    assertThat(t.carried("loop_1")).containsExactly("w");
    assertThat(t.inputPorts("loop_1")).containsExactly("w", "X", "y");
    assertThat(t.inputType("out_w", "x")).hasToString("float64[3]");
    assertThat(t.inputType("out_p", "x")).hasToString("float64[?]");
    assertThat(t.body("loop_1").graph().inputNodes())
        .extracting(Node::id)
        .containsExactly("w", "X", "y");
    assertThat(GraphJson.parse(GraphJson.write(graph), "mem")).isEqualTo(graph);
  }

  @Test
  void typesAreInferredAsYouBuild() {
    GraphBuilder g = GraphBuilder.create("t");
    Tensor x = g.input("x", DType.INT32, Shape.of(Shape.UNKNOWN, 4));
    assertThat(x.type()).map(Object::toString).contains("int32[?,4]");
    assertThat(x.ref()).isEqualTo(new PortRef("x", "out"));
    assertThat(x.add(1).type()).map(Object::toString).contains("int32[?,4]");
    assertThat(x.add(0.5).type()).map(Object::toString).contains("float64[?,4]");
    assertThat(x.div(2).type()).map(Object::toString).contains("float64[?,4]");
    assertThat(x.sum().type()).map(Object::toString).contains("int64[]");
    assertThat(x.sum(1).type()).map(Object::toString).contains("int64[?]");
    assertThat(x.reduce("mean", true, 0).type()).map(Object::toString).contains("float64[1,4]");
    assertThat(x.gt(0).type()).map(Object::toString).contains("bool[?,4]");
    assertThat(x.T().type()).map(Object::toString).contains("int32[4,?]");
    assertThat(x.reshape(-1, 2).type()).map(Object::toString).contains("int32[?,2]");
    assertThat(x.slice(1, 3).type()).map(Object::toString).contains("int32[?,4]");
    assertThat(x.astype(DType.FLOAT32).sqrt().type())
        .map(Object::toString)
        .contains("float32[?,4]");
    assertThat(x.argmax(1).type()).map(Object::toString).contains("int64[?]");
    assertThat(g.concat(1, x, x).type()).map(Object::toString).contains("int32[?,8]");
    assertThat(g.stack(0, g.eye(2), g.eye(2)).type())
        .map(Object::toString)
        .contains("float64[2,2,2]");
    assertThat(g.arange(0, 10, 2).type()).map(Object::toString).contains("int64[5]");
    assertThat(g.linspace(0, 1, 11).type()).map(Object::toString).contains("float64[11]");
    assertThat(g.where(x.gt(0), x, g.scalar(0)).type())
        .map(Object::toString)
        .contains("float64[?,4]");
    assertThat(x.toString()).isEqualTo("x:out int32[?,4]");
    assertThat(g.check().order()).isNotEmpty();
  }

  @Test
  void aProblemLeavesTheTensorUntypedAndCheckReportsIt() {
    GraphBuilder g = GraphBuilder.create("bad");
    Tensor a = g.input("a", DType.FLOAT64, Shape.of(2, 3));
    Tensor b = g.input("b", DType.FLOAT64, Shape.of(4, 5));
    Tensor c = a.matmul(b);
    assertThat(c.type()).isEmpty();
    assertThat(c.toString()).isEqualTo("matmul_1:out (untyped)");
    Tensor d = c.relu();
    assertThat(d.type()).isEmpty();
    g.output("d", d);
    assertThatThrownBy(g::check)
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "node 'matmul_1' (matmul) port 'b': expected rows 3 to match the columns of 'a'"
                + " float64[2,3], got float64[4,5]")
        .satisfies(
            e ->
                assertThat(((ValidationException) e).diagnostics())
                    .extracting(Diagnostic::code)
                    .containsExactly("type"));
  }

  @Test
  void mixingLoopBodyAndOuterTensorsThrowsAndChangesNothing() {
    GraphBuilder g = GraphBuilder.create("mix");
    Tensor outer = g.input("x", DType.FLOAT64, Shape.of(3));
    Loop loop = g.loop(2);
    Tensor inner = loop.carry("v", outer);
    int nodes = g.build().nodes().size();
    int bodyNodes = loop.body().build().nodes().size();

    assertThatThrownBy(() -> inner.add(outer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tensor x:out belongs to another graph (a loop body and its outer graph are"
                + " separate: bring outer values in with Loop.fixed or Loop.carry)");
    assertThatThrownBy(() -> outer.mul(inner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor v:out belongs to another graph");
    assertThatThrownBy(() -> loop.fixed("y", inner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor v:out belongs to another graph");
    assertThat(g.build().nodes()).hasSize(nodes);
    assertThat(loop.body().build().nodes()).hasSize(bodyNodes);
    assertThat(loop.body().build().edges()).isEmpty();

    loop.update("v", outer);
    assertThatThrownBy(loop::end)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to another graph");
    assertThatThrownBy(() -> loop.update("nope", inner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'nope' is not a carried value: [v]");
  }

  @Test
  void untilLoop() {
    GraphBuilder g = GraphBuilder.create("until");
    Tensor x0 = g.input("x", DType.FLOAT64, Shape.SCALAR);
    Loop halve = g.loopUntil("small", 60);
    Tensor x = halve.carry("x", x0);
    Tensor next = x.mul(0.5);
    halve.update("x", next).stopWhen(next.abs().lt(1e-6));
    Map<String, Tensor> out = halve.end();
    g.output("x", out.get("x"));
    TypedGraph t = g.check();
    assertThat(t.params("loop_1"))
        .containsEntry("until", "small")
        .containsEntry("max_iterations", 60L);
    assertThat(out.get("x").type()).map(Object::toString).contains("float64[]");

    GraphBuilder h = GraphBuilder.create("no-cond");
    Loop l = h.loopUntil("done", 5);
    l.update("x", l.carry("x", h.scalar(1)));
    assertThatThrownBy(l::end)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("an until loop needs stopWhen(cond)");
  }

  @Test
  void idsAreOpNamesWithCountersAndInputsKeepTheirNames() {
    GraphBuilder g = GraphBuilder.create("ids").description("d");
    Tensor x = g.input("x", DType.FLOAT64, Shape.of(2));
    x.neg().neg();
    g.output("y", x);
    Graph graph = g.build();
    assertThat(graph.description()).isEqualTo("d");
    assertThat(graph.nodes()).extracting(Node::id).containsExactly("x", "neg_1", "neg_2", "out_y");
    Tensor bad = g.input("not a valid id", DType.FLOAT64, Shape.of(1));
    assertThat(bad.ref().node()).isEqualTo("input_1");
  }
}
