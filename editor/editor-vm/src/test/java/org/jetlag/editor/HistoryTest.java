package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.jetlag.graph.Position;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private final Document d0 = Document.of(TestGraphs.chain(1));
  private final Document d1 = Edits.addNode(d0, "sin", new Position(0, 0));
  private final Document d2 = Edits.addNode(d1, "cos", new Position(0, 0));

  @Test
  void undoAndRedoWalkTheTwoStacks() {
    History h = new History(10);
    h.record(d0, Optional.empty());
    h.record(d1, Optional.empty());
    assertThat(h.undo(d2)).contains(d1);
    assertThat(h.undo(d1)).contains(d0);
    assertThat(h.undo(d0)).isEmpty();
    assertThat(h.redo(d0)).contains(d1);
    assertThat(h.canRedo()).isTrue();
    h.record(d1, Optional.empty());
    assertThat(h.canRedo()).isFalse();
  }

  @Test
  void changesWithTheSameMergeKeyMakeOneStep() {
    History h = new History(10);
    h.record(d0, Optional.of("n#p"));
    h.record(d1, Optional.of("n#p"));
    assertThat(h.undo(d2)).contains(d0);
    assertThat(h.canUndo()).isFalse();
  }

  @Test
  void theLimitDropsTheOldestSteps() {
    History h = new History(1);
    h.record(d0, Optional.empty());
    h.record(d1, Optional.empty());
    assertThat(h.undo(d2)).contains(d1);
    assertThat(h.canUndo()).isFalse();
  }
}
