package org.jetlag.editor.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jetlag.editor.UiScheduler;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunListener;

/**
 * Collects run events on worker threads and hands them to the UI in batches: however fast events
 * arrive, at most one hand-over is pending on the UI thread at a time, so the UI applies them at
 * most once per frame and is never flooded. Workers never block: they append to a lock-free queue,
 * and the UI thread folds the queue into the latest state of each node.
 */
public final class RunEvents implements RunListener {
  private final UiScheduler ui;
  private final Consumer<Batch> apply;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ConcurrentLinkedQueue<RunEvent> queue = new ConcurrentLinkedQueue<>();

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
    queue.add(event);
    if (scheduled.compareAndSet(false, true)) {
      ui.execute(this::drain);
    }
  }

  /** Hands everything pending to the UI now (also called at the end of a run). */
  public void drain() {
    scheduled.set(false);
    Map<String, RunEvent> latest = new LinkedHashMap<>();
    RunEvent.Progress progress = null;
    long count = 0;
    for (RunEvent e = queue.poll(); e != null; e = queue.poll()) {
      count++;
      if (e instanceof RunEvent.Progress p) {
        progress = p;
      } else {
        String id = nodeOf(e);
        // a failure is never hidden by a later event of the same node
        if (!(latest.get(id) instanceof RunEvent.NodeFailed)) {
          latest.remove(id);
          latest.put(id, e);
        }
      }
    }
    if (count > 0) {
      apply.accept(new Batch(new ArrayList<>(latest.values()), progress, count));
    }
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
