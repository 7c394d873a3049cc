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
 * @param parent the id of the enclosing span: for a task of a loop or composite body, the span of
 *     the iteration it ran in; 0 for none
 * @param fused the node ids computed in this task, in order (one element unless fused); empty for
 *     an iteration span, which is a container on its own lane ({@code "<loop id> iterations"},
 *     chunk = iteration index) whose work is in its body's spans
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
