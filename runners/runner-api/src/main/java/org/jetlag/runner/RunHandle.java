package org.jetlag.runner;

import java.util.concurrent.CompletableFuture;

/** A run in progress: its eventual result, and a way to stop it. */
public interface RunHandle {
  /** Completes with the result, or exceptionally with a {@link RunFailure} or cancellation. */
  CompletableFuture<RunResult> result();

  /**
   * Asks the run to stop: no new task starts, running tasks finish, memory is freed, and {@link
   * #result()} completes with a {@link java.util.concurrent.CancellationException}.
   */
  void cancel();
}
