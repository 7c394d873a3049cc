package org.jetlag.runner;

/** Something that happened in a run, for progress bars and node status colours. */
public sealed interface RunEvent {
  /** A node's first task started. */
  record NodeStarted(String nodeId) implements RunEvent {}

  /** A node's last task finished. */
  record NodeFinished(String nodeId, long nanos) implements RunEvent {}

  /** A node failed; the run fails with the same message. */
  record NodeFailed(String nodeId, String message) implements RunEvent {}

  /** Tasks done out of tasks known so far (the total grows as loops unfold). */
  record Progress(long done, long total) implements RunEvent {}
}
