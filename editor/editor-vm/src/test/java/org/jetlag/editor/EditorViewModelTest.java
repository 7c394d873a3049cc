package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jetlag.graph.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EditorViewModelTest {
  @TempDir Path tmp;
  private final Fixtures.Dialogs dialogs = new Fixtures.Dialogs();

  static Stream<Path> exampleGraphs() throws Exception {
    try (Stream<Path> s = Files.list(TestGraphs.examples())) {
      return s.map(p -> p.resolve("graph.json")).filter(Files::exists).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("exampleGraphs")
  void examplesOpenedAndSavedWithoutEditsStayByteIdentical(Path graph) throws Exception {
    EditorViewModel vm = Fixtures.viewModel(dialogs);
    assertThat(vm.open(graph)).isTrue();
    assertThat(vm.dirtyProperty().get()).isFalse();
    Path copy = tmp.resolve("graph.json");
    assertThat(vm.saveTo(copy)).isTrue();
    assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(graph));
    assertThat(vm.diagnostics()).isEmpty();
  }

  @Test
  void editsMarkTheDocumentDirtyAndUndoBringsItBack() {
    EditorViewModel vm = Fixtures.viewModel(dialogs);
    vm.open(TestGraphs.examples().resolve("pca/graph.json"));
    assertThat(vm.titleProperty().get()).doesNotStartWith("*").contains("graph.json");
    vm.addNode("sin", new Position(0, 0));
    assertThat(vm.dirtyProperty().get()).isTrue();
    assertThat(vm.titleProperty().get()).startsWith("* ");
    assertThat(vm.diagnostics()).anyMatch(d -> d.nodeId().equals(Optional.of("sin")));
    assertThat(vm.problemKeys()).contains("sin");
    vm.undo();
    assertThat(vm.dirtyProperty().get()).isFalse();
    assertThat(vm.problemKeys()).isEmpty();
    vm.redo();
    assertThat(vm.document().current().node("sin")).isPresent();
  }

  @Test
  void newAndOpenAskBeforeDroppingUnsavedWork() {
    EditorViewModel vm = Fixtures.viewModel(dialogs);
    vm.addNode("sin", new Position(0, 0));
    dialogs.answer = false;
    vm.newDocument();
    assertThat(vm.document().current().nodes()).hasSize(1);
    assertThat(dialogs.questions).hasSize(1);
    dialogs.answer = true;
    vm.newDocument();
    assertThat(vm.document().current().nodes()).isEmpty();
  }

  @Test
  void saveAsAsksForAFileAndRemembersItInTheRecentList() {
    Path state = tmp.resolve("state");
    EditorViewModel vm = Fixtures.viewModel(dialogs, () -> null, Runnable::run, state);
    vm.apply(Document.of(TestGraphs.chain(3)));
    dialogs.save = Optional.of(tmp.resolve("mine.json"));
    assertThat(vm.save()).isTrue();
    assertThat(vm.fileProperty().get()).contains(tmp.resolve("mine.json"));
    assertThat(vm.dirtyProperty().get()).isFalse();
    EditorViewModel again = Fixtures.viewModel(dialogs, () -> null, Runnable::run, state);
    assertThat(again.recentFiles()).containsExactly(tmp.resolve("mine.json").toAbsolutePath());
  }

  @Test
  void unsavedWorkIsKeptInARecoveryFileAndOfferedAtTheNextStart() {
    Path state = tmp.resolve("state");
    EditorViewModel vm = Fixtures.viewModel(dialogs, () -> null, Runnable::run, state);
    vm.apply(Document.of(TestGraphs.chain(7)));
    assertThat(state.resolve("recovery.json")).exists();
    // the editor "crashes": a new one starts and offers the recovery copy
    EditorViewModel next = Fixtures.viewModel(dialogs, () -> null, Runnable::run, state);
    assertThat(next.offerRecovery()).isTrue();
    assertThat(next.document().root()).isEqualTo(TestGraphs.chain(7));
    assertThat(next.dirtyProperty().get()).isTrue();
    next.saveTo(tmp.resolve("saved.json"));
    assertThat(state.resolve("recovery.json")).doesNotExist();
  }

  @Test
  void closingAfterTheUserAgreedDropsTheRecoveryCopy() {
    Path state = tmp.resolve("state");
    EditorViewModel vm = Fixtures.viewModel(dialogs, () -> null, Runnable::run, state);
    vm.apply(Document.of(TestGraphs.chain(7)));
    assertThat(vm.confirmDiscard()).isTrue();
    assertThat(dialogs.questions).hasSize(1);
    vm.closed();
    assertThat(state.resolve("recovery.json")).doesNotExist();
  }

  @Test
  void theRecoveryOfferCanBeDeclined() {
    Path state = tmp.resolve("state");
    Fixtures.viewModel(dialogs, () -> null, Runnable::run, state)
        .apply(Document.of(TestGraphs.chain(7)));
    dialogs.answer = false;
    EditorViewModel next = Fixtures.viewModel(dialogs, () -> null, Runnable::run, state);
    assertThat(next.offerRecovery()).isFalse();
    assertThat(state.resolve("recovery.json")).doesNotExist();
  }

  @Test
  void aBadFileIsReportedNotThrown() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"formatVersion\": 1, \"nodes\": 3}");
    EditorViewModel vm = Fixtures.viewModel(dialogs);
    assertThat(vm.open(bad)).isFalse();
    assertThat(dialogs.errors).singleElement().asString().contains("bad.json").contains("nodes");
  }

  @Test
  void theSelectionFollowsClicksBoxesAndTraceKeys() {
    EditorViewModel vm = Fixtures.viewModel(dialogs);
    vm.open(TestGraphs.examples().resolve("kmeans/graph.json"));
    vm.select(List.of("X"));
    vm.toggleSelect("init");
    assertThat(vm.document().selection()).containsExactly("X", "init");
    vm.toggleSelect("X");
    assertThat(vm.document().selection()).containsExactly("init");
    // X at (40,40), init at (40,140): a box around the left column only
    vm.selectBox(0, 0, 100, 200, false);
    assertThat(vm.document().selection()).containsExactly("X", "init");
    vm.selectKey("lloyd/sq");
    assertThat(vm.document().scope()).containsExactly("lloyd");
    assertThat(vm.document().selection()).containsExactly("sq");
    vm.closeBody();
    assertThat(vm.document().scope()).isEmpty();
    assertThat(vm.document().selection()).containsExactly("lloyd");
    vm.openBody("lloyd");
    assertThat(vm.document().current().name()).isEqualTo("lloyd-step");
    vm.selectKey("no/such/node");
    assertThat(vm.document().scope()).containsExactly("lloyd");
  }

  @Test
  void thePropertySheetValidatesAsTheUserTypesAndCommitsValidValues() {
    EditorViewModel vm = Fixtures.viewModel(dialogs);
    vm.addNode("arange", new Position(0, 0));
    PropertySheetViewModel sheet = vm.properties();
    assertThat(sheet.fields())
        .extracting(f -> f.spec().name())
        .containsExactly("start", "stop", "step", "dtype");
    ParamField stop = sheet.field("stop").orElseThrow();
    assertThat(stop.errorProperty().get()).isEqualTo("required, not set");
    stop.textProperty().set("1");
    stop.textProperty().set("10");
    stop.textProperty().set("100");
    assertThat(vm.document().current().node("arange").orElseThrow().params().get("stop"))
        .isEqualTo(100L);
    assertThat(stop.errorProperty().get()).isEmpty();
    ParamField step = sheet.field("step").orElseThrow();
    step.textProperty().set("x");
    assertThat(step.errorProperty().get()).isEqualTo("expected a number, got \"x\"");
    ParamField dtype = sheet.field("dtype").orElseThrow();
    dtype.textProperty().set("float128");
    assertThat(dtype.errorProperty().get()).startsWith("expected a dtype");
    assertThat(vm.document().current().node("arange").orElseThrow().params())
        .doesNotContainKeys("step", "dtype");
    // the three keystrokes of 'stop' are one undo step
    vm.undo();
    assertThat(vm.document().current().node("arange").orElseThrow().params()).isEmpty();
    assertThat(stop.textProperty().get()).isEmpty();
  }

  @Test
  void thePaletteFiltersByNameCategoryAndDoc() {
    PaletteViewModel p = new PaletteViewModel();
    int all = p.entries().size();
    p.searchProperty().set("matmul");
    assertThat(p.entries()).extracting(PaletteViewModel.Entry::op).contains("matmul");
    assertThat(p.entries().size()).isLessThan(all);
    p.searchProperty().set("REDUCTION");
    assertThat(p.entries())
        .allMatch(
            e -> e.category().equals("reduction") || e.doc().toLowerCase().contains("reduction"));
    p.searchProperty().set("");
    assertThat(p.entries()).hasSize(all);
  }

  @Test
  void layoutPlacesEveryNodeAsOneUndoStep() {
    EditorViewModel vm = Fixtures.viewModel(dialogs);
    vm.apply(Document.of(TestGraphs.chain(3)));
    vm.layout();
    assertThat(vm.document().current().node("s").orElseThrow().position())
        .contains(new Position(240, 40));
    vm.undo();
    assertThat(vm.document().current()).isEqualTo(TestGraphs.chain(3));
  }
}
