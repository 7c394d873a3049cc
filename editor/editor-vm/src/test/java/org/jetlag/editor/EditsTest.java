package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Position;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.junit.jupiter.api.Test;

class EditsTest {
  @Test
  void addNodeGivesFreshIdsSelectsAndFillsObviousParameters() {
    Document d = Document.of(TestGraphs.chain(10));
    d = Edits.addNode(d, "sin", new Position(10.4, 20.6));
    assertThat(d.selection()).containsExactly("sin");
    assertThat(d.current().node("sin").orElseThrow().position()).contains(new Position(10, 21));
    d = Edits.addNode(d, "sin", new Position(0, 0));
    assertThat(d.selection()).containsExactly("sin_2");
    d = Edits.addNode(d, "input", new Position(0, 0));
    Node in = d.current().node("input").orElseThrow();
    assertThat(in.params()).containsEntry("name", "x").containsKey("shape");
    d = Edits.addNode(d, "input", new Position(0, 0));
    assertThat(d.current().node("input_2").orElseThrow().params()).containsEntry("name", "x2");
    d = Edits.addNode(d, "loop", new Position(0, 0));
    assertThat(d.current().node("loop").orElseThrow().body()).isPresent();
    assertThatThrownBy(() -> Edits.addNode(Document.of(TestGraphs.chain(1)), "nope", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown op 'nope'");
  }

  @Test
  void deleteRemovesTheNodesAndTheirEdgesAndTheSelection() {
    Document d = Document.of(TestGraphs.chain(10)).withSelection(List.of("s"));
    Document after = Edits.deleteSelection(d);
    assertThat(after.current().nodes()).extracting(Node::id).containsExactly("a", "y");
    assertThat(after.current().edges()).isEmpty();
    assertThat(after.selection()).isEmpty();
    // the input document is unchanged: edits are pure
    assertThat(d.current()).isEqualTo(TestGraphs.chain(10));
  }

  @Test
  void moveAndPlaceChangeOnlyPositions() {
    Document d = Edits.move(Document.of(TestGraphs.chain(10)), List.of("a", "s"), 5, -5);
    assertThat(d.current().node("a").orElseThrow().position()).contains(new Position(5, -5));
    assertThat(d.current().node("s").orElseThrow().position()).contains(new Position(205, -5));
    assertThat(d.current().node("y").orElseThrow().position()).contains(new Position(400, 0));
    assertThat(d.current().edges()).isEqualTo(TestGraphs.chain(10).edges());
  }

  @Test
  void connectReplacesTheEdgeIntoAnInputAndDisconnectRemovesIt() {
    Document d = Edits.addNode(Document.of(TestGraphs.chain(10)), "cos", new Position(0, 0));
    d = Edits.connect(d, new PortRef("a", "out"), new PortRef("cos", "x"));
    d = Edits.connect(d, new PortRef("cos", "out"), new PortRef("s", "x"));
    assertThat(d.current().edgesInto("s")).containsExactly(Edge.of("cos:out", "s:x"));
    d = Edits.disconnect(d, Edge.of("cos:out", "s:x"));
    assertThat(d.current().edgesInto("s")).isEmpty();
  }

  @Test
  void pasteUsesFreshIdsAndNamesKeepsInnerEdgesAndSelectsThePaste() {
    Document d = Document.of(TestGraphs.chain(10)).withSelection(List.of("s", "y"));
    Clipboard c = Edits.copy(d);
    assertThat(c.edges()).containsExactly(Edge.of("s:out", "y:x"));
    Document p = Edits.paste(d, c, 40, 40);
    assertThat(p.selection()).containsExactlyInAnyOrder("s_2", "y_2");
    assertThat(p.current().edges()).contains(Edge.of("s_2:out", "y_2:x"));
    assertThat(p.current().node("y_2").orElseThrow().params().get("name")).isNotEqualTo("y");
    assertThat(p.current().node("s_2").orElseThrow().position()).contains(new Position(240, 40));
    Document dup = Edits.duplicate(d);
    assertThat(dup.current().nodes()).hasSize(5);
  }

  @Test
  void groupMovesTheSelectionIntoACompositeThatStillValidates() {
    Document d = Document.of(TestGraphs.chain(10)).withSelection(List.of("s"));
    Document g = Edits.group(d);
    assertThat(g.selection()).containsExactly("group");
    Node group = g.current().node("group").orElseThrow();
    assertThat(group.op()).isEqualTo("composite");
    Graph body = group.body().orElseThrow();
    assertThat(body.nodes()).extracting(Node::op).contains("sin", "input", "output");
    assertThat(Validation.validate(g.root()).diagnostics()).isEmpty();
    assertThat(g.current().edges())
        .containsExactly(Edge.of("a:out", "group:in_a"), Edge.of("group:out_s", "y:x"));
    // the body input is typed from what fed it
    Node in = body.node("in_a").orElseThrow();
    assertThat(in.params()).containsEntry("dtype", "int64");
  }

  @Test
  void editsInsideABodyRebuildTheRootAroundIt() {
    Graph kmeans = GraphJson.read(TestGraphs.examples().resolve("kmeans/graph.json"));
    Document d = Document.of(kmeans).withScope(List.of("lloyd"));
    assertThat(d.current().name()).isEqualTo("lloyd-step");
    Document moved = Edits.move(d, List.of("sq"), 10, 0);
    Node sq =
        moved.root().node("lloyd").orElseThrow().body().orElseThrow().node("sq").orElseThrow();
    assertThat(sq.position()).contains(new Position(650, 40));
    assertThat(moved.traceKey("sq")).isEqualTo("lloyd/sq");
    assertThatThrownBy(() -> Document.of(kmeans).withScope(List.of("X")))
        .hasMessageContaining("node 'X' has no body");
  }

  @Test
  void freshIdSkipsTakenIds() {
    Graph g = TestGraphs.chain(1);
    assertThat(Edits.freshId(g, "s", Set.of())).isEqualTo("s_2");
    assertThat(Edits.freshId(g, "s", Set.of("s_2"))).isEqualTo("s_3");
    assertThat(Edits.freshId(g, "9x", Set.of())).isEqualTo("n_9x");
  }
}
