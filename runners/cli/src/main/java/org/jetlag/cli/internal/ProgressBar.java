package org.jetlag.cli.internal;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunListener;

/**
 * A one-line progress bar on a terminal's stderr, redrawn a few times a second once a run has
 * lasted over a second. Worker threads only update counters; a single timer thread draws.
 */
final class ProgressBar implements RunListener, AutoCloseable {
  private static final long DELAY_MS = 1000;
  private static final long PERIOD_MS = 200;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final long startNanos = System.nanoTime();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final ScheduledExecutorService timer;
  private final ScheduledFuture<?> task;
  private boolean drawn;

  ProgressBar(PrintWriter err) {
    this.err = err;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jetlag-progress");
              t.setDaemon(true);
              return t;
            });
    this.task = timer.scheduleAtFixedRate(this::draw, DELAY_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onEvent(RunEvent e) {
    if (e instanceof RunEvent.Progress) {
      RunEvent.Progress p = (RunEvent.Progress) e;
      done.accumulateAndGet(p.done(), Math::max);
      total.accumulateAndGet(p.total(), Math::max);
    }
  }

  private synchronized void draw() {
    long d = done.get();
    long t = Math.max(total.get(), d);
    double frac = t == 0 ? 0 : (double) d / t;
    int fill = (int) Math.round(frac * WIDTH);
    double secs = (System.nanoTime() - startNanos) / 1e9;
    err.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %3.0f%%  %d/%d tasks  %.1fs ",
            "#".repeat(fill),
            ".".repeat(WIDTH - fill),
            frac * 100,
            d,
            t,
            secs));
    err.flush();
    drawn = true;
  }

  /** Stops drawing and clears the bar's line. */
  @Override
  public synchronized void close() {
    task.cancel(false);
    timer.shutdownNow();
    if (drawn) {
      err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
      err.flush();
    }
  }
}
