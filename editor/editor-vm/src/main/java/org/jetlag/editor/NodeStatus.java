package org.jetlag.editor;

/** Where a node is in the current run; the canvas colours nodes by it. */
public enum NodeStatus {
  /** Not part of a run. */
  IDLE,
  /** The run started; the node has not started yet. */
  QUEUED,
  /** The node's first task started. */
  RUNNING,
  /** The node's work is done. */
  DONE,
  /** The node failed; the message is in {@link EditorViewModel#failures()}. */
  FAILED
}
