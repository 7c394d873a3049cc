package org.jetlag.runner.local.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One daemon thread that samples the counters of every running run. */
final class Sampling {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "jetlag-sampler");
            t.setDaemon(true);
            return t;
          });

  private Sampling() {}

  /** Runs {@code task} every {@code millis} ms until the returned future is cancelled. */
  static ScheduledFuture<?> every(long millis, Runnable task) {
    return TIMER.scheduleAtFixedRate(task, 0, millis, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} once after {@code millis} ms unless the returned future is cancelled. */
  static ScheduledFuture<?> after(long millis, Runnable task) {
    return TIMER.schedule(task, millis, TimeUnit.MILLISECONDS);
  }
}
