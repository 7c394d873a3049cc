package org.jetlag.runner;

import org.jetlag.graph.TypedGraph;

/**
 * Executes validated graphs. Every runner gives the same numbers for the same graph and inputs
 * (within the tolerance the runner contract tests state).
 */
public interface Runner {
  /** A short name shown in profiles and the CLI ({@code local}). */
  String name();

  /**
   * Starts a run and returns at once; the handle's future completes with the outputs.
   *
   * <p>The future completes exceptionally with a {@link RunFailure} naming the node when the run
   * fails, or with a {@link java.util.concurrent.CancellationException} when cancelled.
   */
  RunHandle start(TypedGraph graph, RunRequest request);
}
