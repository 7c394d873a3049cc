package org.jetlag.perf;

import java.util.List;
import java.util.Objects;

/**
 * One task of a run: which node, which chunk, where and when it ran.
 *
 * @param id unique in its trace, in recording order per thread
 * @param nodeId the node the task computed (the last node of a fused chain)
 * @param op that node's op
 * @param chunk the chunk index along axis 0, or -1 for whole-array and combine tasks
 * @param worker the process that ran it ({@code local}, or a Flink TaskManager)
 * @param thread the worker thread's name
 * @param start start in microseconds from the run's start
 * @param end end in microseconds from the run's start
 * @param parent the id of the enclosing span (none is 0); loop iterations have no span of their own
 *     yet, so this is 0 for now
 * @param fused the node ids computed in this task, in order (one element unless fused)
 */
public record Span(
    long id,
    String nodeId,
    String op,
    int chunk,
    String worker,
    String thread,
    double start,
    double end,
    long parent,
    List<String> fused) {
  /** Validates the components. */
  public Span {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(thread, "thread");
    fused = List.copyOf(fused);
    if (end < start) {
      throw new IllegalArgumentException("span " + id + " ends before it starts");
    }
  }

  /** Duration in microseconds. */
  public double duration() {
    return end - start;
  }
}
