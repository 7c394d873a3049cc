package org.jetlag.runner.local.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jetlag.perf.NodeProfile;

/** Per-node counters updated by worker threads without locks. */
final class NodeStats {
  final String path;
  final String op;
  final int order;
  private final LongAdder calls = new LongAdder();
  private final LongAdder total = new LongAdder();
  private final LongAdder elements = new LongAdder();
  private final LongAdder elementsIn = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong max = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean started =
      new java.util.concurrent.atomic.AtomicBoolean();

  NodeStats(String path, String op, int order) {
    this.path = path;
    this.op = op;
    this.order = order;
  }

  /** True the first time only: the node's first task is starting. */
  boolean start() {
    return !started.get() && started.compareAndSet(false, true);
  }

  void record(long nanos, long elementsOut) {
    calls.increment();
    total.add(nanos);
    elements.add(elementsOut);
    min.accumulateAndGet(nanos, Math::min);
    max.accumulateAndGet(nanos, Math::max);
  }

  /** Adds what one execution of the node reads and writes (once per wiring). */
  void addIo(long inElements, long inBytes, long outBytes) {
    elementsIn.add(inElements);
    bytesIn.add(inBytes);
    bytesOut.add(outBytes);
  }

  long calls() {
    return calls.sum();
  }

  NodeProfile profile(long medianNanos, boolean control) {
    long c = calls.sum();
    long t = total.sum();
    return new NodeProfile(
        path,
        op,
        c,
        t,
        control ? 0 : t,
        c == 0 ? 0 : min.get(),
        max.get(),
        medianNanos,
        elementsIn.sum(),
        elements.sum(),
        bytesIn.sum(),
        bytesOut.sum());
  }
}
