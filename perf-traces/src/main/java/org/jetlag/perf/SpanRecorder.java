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

  /** Spans that ran but were not kept. */
  public long dropped() {
    return dropped.get();
  }

  /** Every kept span, sorted by start time, ids in that order from 1. */
  public List<Span> spans(String worker) {
    List<long[]> rows = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    for (Buffer b : buffers) {
      int ti = threads.size();
      threads.add(b.thread);
      for (int i = 0; i < b.size; i++) {
        rows.add(new long[] {b.start[i], b.end[i], b.kind[i], b.chunk[i], ti});
      }
    }
    rows.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[4]));
    List<Span> out = new ArrayList<>(rows.size());
    long id = 1;
    for (long[] r : rows) {
      Kind k = kinds.get((int) r[2]);
      out.add(
          new Span(
              id++,
              k.nodeId,
              k.op,
              (int) r[3],
              worker,
              threads.get((int) r[4]),
              r[0] / 1000.0,
              r[1] / 1000.0,
              0,
              k.fused));
    }
    return out;
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
        add = BLOCK; // near the end of the budget, grow by one block at a time
        if (budget.addAndGet(-add) < 0) {
          budget.addAndGet(add);
          return false;
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
