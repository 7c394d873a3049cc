package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.json.GraphJson;
import org.junit.jupiter.api.Test;

class PortTypesTest {
  @Test
  void typesAreKnownWhereverTheInputsAreEvenInAHalfDrawnGraph() {
    Graph g = TestGraphs.matrices(); // mm has no 'b': the graph does not validate
    PortTypes t = PortTypes.of(g);
    assertThat(t.output(new PortRef("A", "out")).map(TensorType::toString))
        .contains("float64[3,4]");
    assertThat(t.output(new PortRef("mm", "out"))).isEmpty();
    assertThat(t.inputs("mm")).containsExactly("a", "b");
    assertThat(t.outputs("y")).isEmpty();
  }

  @Test
  void variadicPortsShowTheirSlotsAndOneFree() {
    Graph g =
        Graph.of(
            "v",
            "",
            List.of(
                TestGraphs.node("a", "arange", 0, 0, "stop", 3L),
                TestGraphs.node("c", "concat", 0, 0)),
            List.of(Edge.of("a:out", "c:arrays.0")));
    assertThat(PortTypes.of(g).inputs("c")).containsExactly("arrays.0", "arrays.1");
  }

  @Test
  void loopsAndCompositesTakeTheirPortsFromTheBody() {
    Graph kmeans = GraphJson.read(TestGraphs.examples().resolve("kmeans/graph.json"));
    PortTypes t = PortTypes.of(kmeans);
    assertThat(t.inputs("lloyd")).contains("C", "X");
    assertThat(t.outputs("lloyd")).contains("C");
    assertThat(t.output(new PortRef("lloyd", "C")).map(TensorType::toString))
        .contains("float64[3,2]");
  }
}
