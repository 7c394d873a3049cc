package org.jetlag.editor.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jetlag.graph.JetLagException;

/**
 * Calls to a service that may hang, each on a worker with a deadline. When the deadline passes, the
 * returned future fails with a {@link JetLagException} saying what did not answer in time, and the
 * worker is interrupted; a call that ignores interrupts keeps its thread, which is why callers ask
 * {@link Call#done()} before calling the same service again.
 */
public final class TimedCalls {
  private final Executor workers;
  private final ScheduledExecutorService timer;

  /** Calls run on {@code workers}; deadlines are kept by {@code timer}. */
  public TimedCalls(Executor workers, ScheduledExecutorService timer) {
    this.workers = Objects.requireNonNull(workers, "workers");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  /**
   * One call under way.
   *
   * @param result completes with the call's value, its failure, or the deadline's failure
   * @param ended set when the work itself has returned or thrown, which may be long after a missed
   *     deadline
   */
  public record Call<T>(CompletableFuture<T> result, AtomicBoolean ended) {
    /** True when the work itself has ended (not only the wait for it). */
    public boolean done() {
      return ended.get();
    }
  }

  /**
   * Starts {@code work}; {@code what} names it in the timeout message ({@code "tapis: list jobs"}).
   */
  public <T> Call<T> start(String what, Duration deadline, Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicReference<ScheduledFuture<?>> alarm = new AtomicReference<>();
    AtomicBoolean ended = new AtomicBoolean();
    Callable<T> tracked =
        () -> {
          try {
            return work.call();
          } finally {
            ended.set(true);
          }
        };
    FutureTask<T> task =
        new FutureTask<>(tracked) {
          @Override
          protected void done() {
            ScheduledFuture<?> a = alarm.get();
            if (a != null) {
              a.cancel(false);
            }
            if (isCancelled()) {
              return;
            }
            try {
              result.complete(get());
            } catch (ExecutionException e) {
              result.completeExceptionally(e.getCause() == null ? e : e.getCause());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              result.completeExceptionally(e);
            }
          }
        };
    alarm.set(
        timer.schedule(
            () -> {
              if (result.completeExceptionally(
                  new JetLagException(
                      what + ": no answer within " + seconds(deadline) + "; gave up waiting"))) {
                task.cancel(true);
              }
            },
            deadline.toMillis(),
            TimeUnit.MILLISECONDS));
    if (task.isDone()) {
      alarm.get().cancel(false);
    }
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      alarm.get().cancel(false);
      ended.set(true);
      result.completeExceptionally(new JetLagException(what + ": the editor is shutting down", e));
    }
    return new Call<>(result, ended);
  }

  /** {@code 15 s}, {@code 0.2 s}. */
  public static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
