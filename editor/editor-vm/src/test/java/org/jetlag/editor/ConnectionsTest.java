package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.junit.jupiter.api.Test;

class ConnectionsTest {
  private final Document d = Document.of(TestGraphs.matrices());

  @Test
  void aCompatibleInputIsAccepted() {
    Connections c = Connections.from(d, new PortRef("C", "out"));
    assertThat(c.check(new PortRef("mm", "b"))).isEqualTo(Connections.Verdict.OK);
    assertThat(c.sourceType().map(TensorType::toString)).contains("float64[4,2]");
  }

  @Test
  void anIncompatibleInputIsRefusedWithTheReasonInTheOneErrorShape() {
    Connections.Verdict v =
        Connections.from(d, new PortRef("B", "out")).check(new PortRef("mm", "b"));
    assertThat(v.ok()).isFalse();
    assertThat(v.reason()).startsWith("node 'mm' (matmul)").contains("expected");
  }

  @Test
  void cyclesSelfLoopsAndUnknownPortsAreRefused() {
    Document chain = Document.of(TestGraphs.chain(4));
    assertThat(
            Connections.from(chain, new PortRef("s", "out")).check(new PortRef("s", "x")).reason())
        .contains("cannot feed itself");
    assertThat(
            Connections.from(chain, new PortRef("y", "out")).check(new PortRef("s", "x")).reason())
        .contains("cycle");
    assertThat(
            Connections.from(chain, new PortRef("a", "out")).check(new PortRef("s", "q")).reason())
        .contains("no input port 'q'");
  }

  @Test
  void theViewModelRefusesAndSaysWhy() {
    EditorViewModel vm = Fixtures.viewModel(new Fixtures.Dialogs());
    vm.apply(Document.of(TestGraphs.matrices()));
    Connections.Verdict v = vm.connect(new PortRef("B", "out"), new PortRef("mm", "b"));
    assertThat(v.ok()).isFalse();
    assertThat(vm.messageProperty().get()).startsWith("cannot connect B:out → mm:b: node 'mm'");
    assertThat(vm.document().current().edgesInto("mm")).hasSize(1);
    assertThat(vm.connect(new PortRef("C", "out"), new PortRef("mm", "b")).ok()).isTrue();
    assertThat(vm.diagnostics()).isEmpty();
  }
}
