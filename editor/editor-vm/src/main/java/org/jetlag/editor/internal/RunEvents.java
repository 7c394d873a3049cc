package org.jetlag.editor.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jetlag.editor.UiScheduler;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunListener;

/**
 * Collects run events on worker threads and hands them to the UI in batches: however fast events
 * arrive, at most one hand-over is pending on the UI thread at a time, so the UI applies them at
 * most once per frame and is never flooded.
 */
public final class RunEvents implements RunListener {
  private final UiScheduler ui;
  private final Consumer<Batch> apply;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Object lock = new Object();
  private Map<String, RunEvent> latest = new LinkedHashMap<>();
  private RunEvent.Progress progress;
  private long count;

  /**
   * What arrived since the last hand-over.
   *
   * @param nodeEvents the latest event of each node that had one, in arrival order
   * @param progress the latest progress, or null when none arrived
   * @param events how many events were folded into this batch
   */
  public record Batch(List<RunEvent> nodeEvents, RunEvent.Progress progress, long events) {}

  /** Events handed to {@code apply} on the UI thread through {@code ui}. */
  public RunEvents(UiScheduler ui, Consumer<Batch> apply) {
    this.ui = ui;
    this.apply = apply;
  }

  @Override
  public void onEvent(RunEvent event) {
    synchronized (lock) {
      count++;
      if (event instanceof RunEvent.Progress) {
        progress = (RunEvent.Progress) event;
      } else {
        String id = nodeOf(event);
        RunEvent before = latest.get(id);
        // a failure is never hidden by a later event of the same node
        if (!(before instanceof RunEvent.NodeFailed)) {
          latest.remove(id);
          latest.put(id, event);
        }
      }
    }
    if (scheduled.compareAndSet(false, true)) {
      ui.execute(this::drain);
    }
  }

  /** Hands everything pending to the UI now (also called at the end of a run). */
  public void drain() {
    scheduled.set(false);
    Batch b;
    synchronized (lock) {
      if (latest.isEmpty() && progress == null) {
        return;
      }
      b = new Batch(new ArrayList<>(latest.values()), progress, count);
      latest = new LinkedHashMap<>();
      progress = null;
      count = 0;
    }
    apply.accept(b);
  }

  private static String nodeOf(RunEvent e) {
    if (e instanceof RunEvent.NodeStarted x) {
      return x.nodeId();
    }
    if (e instanceof RunEvent.NodeFinished x) {
      return x.nodeId();
    }
    if (e instanceof RunEvent.NodeFailed x) {
      return x.nodeId();
    }
    throw new IllegalArgumentException("not a node event: " + e);
  }
}
