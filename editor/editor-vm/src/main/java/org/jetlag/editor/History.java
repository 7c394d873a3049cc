package org.jetlag.editor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * Undo and redo as two stacks of documents. Successive changes that carry the same merge key (the
 * keystrokes of one parameter field) make one undo step. Not thread-safe: the UI thread owns it.
 */
public final class History {
  private final Deque<Document> undo = new ArrayDeque<>();
  private final Deque<Document> redo = new ArrayDeque<>();
  private final int limit;
  private Optional<String> lastKey = Optional.empty();

  /** A history keeping at most {@code limit} undo steps. */
  public History(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  /**
   * Records that {@code before} was replaced by a new document; clears redo.
   *
   * @param mergeKey when equal to the previous change's key, the two make one undo step
   */
  public void record(Document before, Optional<String> mergeKey) {
    Objects.requireNonNull(before, "before");
    redo.clear();
    if (mergeKey.isPresent() && mergeKey.equals(lastKey) && !undo.isEmpty()) {
      return;
    }
    undo.push(before);
    if (undo.size() > limit) {
      undo.removeLast();
    }
    lastKey = mergeKey;
  }

  /** The document to go back to from {@code current}, if any; {@code current} becomes redoable. */
  public Optional<Document> undo(Document current) {
    lastKey = Optional.empty();
    if (undo.isEmpty()) {
      return Optional.empty();
    }
    redo.push(current);
    return Optional.of(undo.pop());
  }

  /** The document to go forward to from {@code current}, if any. */
  public Optional<Document> redo(Document current) {
    lastKey = Optional.empty();
    if (redo.isEmpty()) {
      return Optional.empty();
    }
    undo.push(current);
    return Optional.of(redo.pop());
  }

  /** True when there is something to undo. */
  public boolean canUndo() {
    return !undo.isEmpty();
  }

  /** True when there is something to redo. */
  public boolean canRedo() {
    return !redo.isEmpty();
  }

  /** Forgets everything (a new or opened document). */
  public void clear() {
    undo.clear();
    redo.clear();
    lastKey = Optional.empty();
  }
}
