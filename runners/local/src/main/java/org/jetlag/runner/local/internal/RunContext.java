package org.jetlag.runner.local.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunOptions;

/** What every task of one run shares: executor, memory, counters, cancellation. */
final class RunContext {
  final Executor executor;
  final int threads;
  final BufferAllocator runAllocator;
  final RunOptions options;
  final LiveSet live = new LiveSet();
  final long t0 = System.nanoTime();
  final org.jetlag.perf.SpanRecorder recorder;
  final java.util.concurrent.atomic.AtomicInteger running =
      new java.util.concurrent.atomic.AtomicInteger();
  private final List<org.jetlag.perf.CounterSample> samples = new ArrayList<>();
  final Map<Long, Long> rowsPerChunk = new ConcurrentHashMap<>();
  private final Map<String, BufferAllocator> allocators = new ConcurrentHashMap<>();
  private final Map<String, NodeStats> stats = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> stop = new AtomicReference<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final AtomicLong tasksDone = new AtomicLong();
  private final AtomicLong tasksKnown = new AtomicLong();
  private final java.util.Queue<CompletableFuture<?>> tasks =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicLong tracked = new AtomicLong();

  RunContext(Executor executor, int threads, BufferAllocator runAllocator, RunOptions options) {
    this.executor = executor;
    this.threads = threads;
    this.runAllocator = runAllocator;
    this.options = options;
    this.recorder = new org.jetlag.perf.SpanRecorder(t0, options.maxSpans());
  }

  /** Samples live bytes and task counts; called by the sampler thread only. */
  void sample() {
    double t = (System.nanoTime() - t0) / 1000.0;
    long run = running.get();
    long waiting = Math.max(0, tasksKnown.get() - tasksDone.get() - run);
    synchronized (samples) {
      samples.add(
          new org.jetlag.perf.CounterSample("live_bytes", t, runAllocator.getAllocatedMemory()));
      samples.add(new org.jetlag.perf.CounterSample("tasks_running", t, run));
      samples.add(new org.jetlag.perf.CounterSample("tasks_waiting", t, waiting));
    }
  }

  List<org.jetlag.perf.CounterSample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The allocator of a node (named by its path), created on first use. */
  BufferAllocator allocator(String path) {
    return allocators.computeIfAbsent(
        path, p -> runAllocator.newChildAllocator(p, 0, runAllocator.getLimit()));
  }

  /** Closes every node allocator (after outputs are freed). */
  void closeAllocators() {
    List<String> keys = new ArrayList<>(allocators.keySet());
    Collections.sort(keys);
    RuntimeException first = null;
    for (String k : keys) {
      try {
        allocators.remove(k).close();
      } catch (RuntimeException e) {
        // keep closing the others; report the first leak
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private final Map<String, Integer> containerKinds = new ConcurrentHashMap<>();

  /** The recorder handle for iteration spans of a loop or composite node. */
  int containerKind(String path, String op) {
    return containerKinds.computeIfAbsent(path, p -> recorder.register(p, op, List.of()));
  }

  NodeStats stats(String path, String op) {
    return stats.computeIfAbsent(path, p -> new NodeStats(p, op, stats.size()));
  }

  /** Per-node stats in first-seen order. */
  List<NodeStats> allStats() {
    List<NodeStats> l = new ArrayList<>(stats.values());
    l.sort((a, b) -> Integer.compare(a.order, b.order));
    return l;
  }

  /** Records a task so cleanup can wait for every task to settle. */
  void track(CompletableFuture<?> f) {
    tasks.add(f);
    tracked.incrementAndGet();
    tasksKnown.incrementAndGet();
  }

  void taskDone() {
    long d = tasksDone.incrementAndGet();
    options.listener().onEvent(new RunEvent.Progress(d, tasksKnown.get()));
  }

  /** A future that completes when every task tracked so far, and any they add, has settled. */
  CompletableFuture<Void> quiesce() {
    long seen = tracked.get();
    List<CompletableFuture<?>> snapshot = new ArrayList<>(tasks);
    return CompletableFuture.allOf(snapshot.toArray(new CompletableFuture<?>[0]))
        .handle((v, e) -> null)
        .thenCompose(
            v -> tracked.get() == seen ? CompletableFuture.<Void>completedFuture(null) : quiesce());
  }

  /** Stops new tasks from starting; the first reason wins. */
  void stop(Throwable why) {
    stop.compareAndSet(null, why);
    stopped.complete(null);
  }

  /** Completes when the run is stopped: waits on anything else must also end then. */
  CompletableFuture<Void> stoppedFuture() {
    return stopped;
  }

  /** Throws if the run was stopped; called at the start of every task. */
  void checkRunning() {
    Throwable t = stop.get();
    if (t != null) {
      CancellationException c = new CancellationException("run stopped: " + t.getMessage());
      c.initCause(t);
      throw c;
    }
  }

  boolean stopped() {
    return stop.get() != null;
  }

  void emit(RunEvent e) {
    options.listener().onEvent(e);
  }
}
