package org.jetlag.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records task spans with little cost: each thread appends to its own buffer of primitive arrays
 * (no lock, no allocation per span); buffers grow in blocks taken from a run-wide budget, and once
 * the budget is spent further spans are counted as dropped.
 *
 * <p>Thread-safe: {@link #register} and {@link #record} may be called from any thread; {@link
 * #spans} after the recorded tasks have finished.
 */
public final class SpanRecorder {
  private static final int BLOCK = 4096;

  private final long t0;
  private final AtomicLong budget;
  private final AtomicLong dropped = new AtomicLong();
  private final List<Kind> kinds = new CopyOnWriteArrayList<>();
  private final Queue<Buffer> buffers = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Buffer> local = ThreadLocal.withInitial(this::newBuffer);
  private final java.util.Map<String, Buffer> lanes = new java.util.TreeMap<>();

  /** What a recorded task computed: a node (and the nodes fused with it). */
  private record Kind(String nodeId, String op, List<String> fused) {}

  /**
   * A recorder for a run that started at {@code t0Nanos} ({@link System#nanoTime()}) keeping at
   * most about {@code maxSpans} spans.
   */
  public SpanRecorder(long t0Nanos, long maxSpans) {
    this.t0 = t0Nanos;
    this.budget = new AtomicLong(maxSpans);
  }

  /** Registers what a family of tasks computes; returns the handle {@link #record} takes. */
  public int register(String nodeId, String op, List<String> fused) {
    synchronized (kinds) {
      kinds.add(new Kind(nodeId, op, List.copyOf(fused)));
      return kinds.size() - 1;
    }
  }

  /** Records one task on the calling thread. */
  public void record(int kind, int chunk, long startNanos, long endNanos) {
    Buffer b = local.get();
    if (b.size == b.capacity && !b.grow()) {
      dropped.incrementAndGet();
      return;
    }
    int i = b.size++;
    b.kind[i] = kind;
    b.chunk[i] = chunk;
    b.start[i] = startNanos - t0;
    b.end[i] = endNanos - t0;
  }

  /**
   * Records one iteration of a loop node (or one run of a composite body) on a lane of its own,
   * named {@code "<nodeId> iterations"}: a container span whose {@code fused} list is empty, and
   * which becomes the {@code parent} of the body's task spans that start inside it.
   */
  public void recordIteration(int kind, int iteration, long startNanos, long endNanos) {
    Kind k = kinds.get(kind);
    Buffer b;
    synchronized (lanes) {
      b = lanes.computeIfAbsent(k.nodeId, id -> new Buffer(id + " iterations"));
    }
    synchronized (b) {
      if (b.size == b.capacity && !b.grow()) {
        dropped.incrementAndGet();
        return;
      }
      int i = b.size++;
      b.kind[i] = kind;
      b.chunk[i] = iteration;
      b.start[i] = startNanos - t0;
      b.end[i] = endNanos - t0;
    }
  }

  /** Spans that ran but were not kept. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Every kept span, sorted by start time, ids in that order from 1; task spans inside a loop
   * iteration name it as their parent.
   */
  public List<Span> spans(String worker) {
    List<long[]> rows = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    List<Buffer> all = new ArrayList<>(buffers);
    synchronized (lanes) {
      all.addAll(lanes.values());
    }
    for (Buffer b : all) {
      int ti = threads.size();
      threads.add(b.thread);
      for (int i = 0; i < b.size; i++) {
        rows.add(new long[] {b.start[i], b.end[i], b.kind[i], b.chunk[i], ti, 0});
      }
    }
    rows.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[4]));
    // iteration spans by container node id, in start order, for the parent links
    java.util.Map<String, List<long[]>> iterations = new java.util.HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      long[] r = rows.get(i);
      r[5] = i + 1;
      if (threads.get((int) r[4]).endsWith(" iterations")
          && lanes.containsKey(kinds.get((int) r[2]).nodeId)) {
        iterations.computeIfAbsent(kinds.get((int) r[2]).nodeId, k -> new ArrayList<>()).add(r);
      }
    }
    List<Span> out = new ArrayList<>(rows.size());
    for (long[] r : rows) {
      Kind k = kinds.get((int) r[2]);
      boolean lane =
          iterations.containsKey(k.nodeId) && threads.get((int) r[4]).endsWith(" iterations");
      long parent = parent(iterations, k.nodeId, r[0], r[1]);
      out.add(
          new Span(
              r[5],
              k.nodeId,
              k.op,
              (int) r[3],
              worker,
              threads.get((int) r[4]),
              r[0] / 1000.0,
              r[1] / 1000.0,
              parent,
              lane ? List.of() : k.fused));
    }
    return out;
  }

  /** The innermost iteration span of an enclosing loop that contains [start, end), or 0. */
  private static long parent(
      java.util.Map<String, List<long[]>> iterations, String nodeId, long start, long end) {
    String p = nodeId;
    int cut;
    while ((cut = p.lastIndexOf('/')) > 0) {
      p = p.substring(0, cut);
      List<long[]> its = iterations.get(p);
      if (its == null) {
        continue;
      }
      int lo = 0;
      int hi = its.size() - 1;
      long[] best = null;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (its.get(mid)[0] <= start) {
          best = its.get(mid);
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (best != null && start < best[1] || best != null && start == best[0]) {
        return best[5];
      }
    }
    return 0;
  }

  private Buffer newBuffer() {
    String name = Thread.currentThread().getName();
    synchronized (buffers) {
      // thread names need not be unique; a trace row per thread must be
      int same = 0;
      for (Buffer b : buffers) {
        if (b.thread.equals(name) || b.thread.startsWith(name + " #")) {
          same++;
        }
      }
      Buffer b = new Buffer(same == 0 ? name : name + " #" + (same + 1));
      buffers.add(b);
      return b;
    }
  }

  private final class Buffer {
    final String thread;
    int size;
    int capacity;
    int[] kind = new int[0];
    int[] chunk = new int[0];
    long[] start = new long[0];
    long[] end = new long[0];

    Buffer(String thread) {
      this.thread = thread;
    }

    boolean grow() {
      int add = Math.max(BLOCK, capacity); // doubling: copying stays linear overall
      if (budget.addAndGet(-add) < 0) {
        budget.addAndGet(add);
        // near the end of the budget: take what is left, up to one block
        while (true) {
          long left = budget.get();
          if (left <= 0) {
            return false;
          }
          int take = (int) Math.min(BLOCK, left);
          if (budget.compareAndSet(left, left - take)) {
            add = take;
            break;
          }
        }
      }
      int cap = capacity + add;
      kind = java.util.Arrays.copyOf(kind, cap);
      chunk = java.util.Arrays.copyOf(chunk, cap);
      start = java.util.Arrays.copyOf(start, cap);
      end = java.util.Arrays.copyOf(end, cap);
      capacity = cap;
      return true;
    }
  }
}
