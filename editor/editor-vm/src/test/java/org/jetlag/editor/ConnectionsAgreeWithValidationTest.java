package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Validation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random graphs: the quick check made while dragging agrees with validation of the graph
 * with the edge drawn, for every pair of an output port and an input port tried.
 */
class ConnectionsAgreeWithValidationTest {
  private static final String[] UNARY = {"sin", "exp", "abs", "sum", "transpose"};
  private static final String[] BINARY = {"add", "mul", "matmul", "maximum"};

  static Graph random(Random r, int n) {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    List<List<Object>> shapes =
        List.of(
            Arrays.asList(null, 4L),
            Arrays.asList(4L),
            Arrays.asList(3L, 4L),
            Arrays.asList(4L, 2L),
            Arrays.asList(2L, 3L, 4L));
    for (int i = 0; i < 4; i++) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", "x" + i);
      p.put("dtype", r.nextInt(4) == 0 ? "int64" : "float64");
      p.put("shape", shapes.get(r.nextInt(shapes.size())));
      nodes.add(Node.of("x" + i, "input", p));
    }
    for (int i = 0; i < n; i++) {
      boolean unary = r.nextBoolean();
      String op = unary ? UNARY[r.nextInt(UNARY.length)] : BINARY[r.nextInt(BINARY.length)];
      nodes.add(Node.of("n" + i, op, Map.of()));
      // feed some inputs, leave others open
      String a = nodes.get(r.nextInt(nodes.size() - 1)).id();
      if (r.nextInt(4) > 0) {
        edges.add(Edge.of(a + ":out", "n" + i + (unary ? ":x" : ":a")));
      }
      if (!unary && r.nextInt(4) > 0) {
        edges.add(Edge.of(nodes.get(r.nextInt(nodes.size() - 1)).id() + ":out", "n" + i + ":b"));
      }
    }
    return Graph.of("random", "", nodes, edges);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void theDragCheckAgreesWithValidation(long seed) {
    Random r = new Random(seed);
    Graph g = random(r, 14);
    Document d = Document.of(g);
    PortTypes types = PortTypes.of(g);
    List<PortRef> outs = new ArrayList<>();
    List<PortRef> ins = new ArrayList<>();
    for (Node n : g.nodes()) {
      types.outputs(n.id()).forEach(p -> outs.add(new PortRef(n.id(), p)));
      types.inputs(n.id()).forEach(p -> ins.add(new PortRef(n.id(), p)));
    }
    int refused = 0;
    for (PortRef from : outs) {
      Connections c = Connections.from(d, from);
      for (PortRef to : ins) {
        Connections.Verdict v = c.check(to);
        if (v.reason().contains("cycle") || v.reason().contains("itself")) {
          continue;
        }
        List<Diagnostic> after =
            Validation.validate(Edits.connect(d, from, to).current()).errors().stream()
                .filter(x -> x.code().equals("type"))
                .filter(x -> x.nodeId().map(to.node()::equals).orElse(false))
                .toList();
        if (v.ok()) {
          assertThat(after)
              .as("%s -> %s accepted, validation says", from, to)
              .allMatch(x -> !x.port().map(to.port()::equals).orElse(false));
        } else {
          refused++;
          assertThat(after).as("%s -> %s refused: %s", from, to, v.reason()).isNotEmpty();
          assertThat(after.stream().map(Diagnostic::toString)).contains(v.reason());
        }
      }
    }
    assertThat(refused).as("some connections are refused").isPositive();
  }
}
