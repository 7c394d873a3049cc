package org.jetlag.perf;

import java.util.Objects;

/**
 * What one node cost in a run: its tasks, their times, and the data it moved.
 *
 * <p>Times are in nanoseconds. The time of a fused task (one pass over a chunk for a chain of
 * elementwise nodes) is split equally among the fused nodes, since each does the same number of
 * element operations; so a node's total always equals the sum of its share of every span.
 *
 * @param nodeId the node id (inside bodies {@code loop_1/matmul_2})
 * @param op the op's wire name
 * @param calls tasks executed for this node (chunks, combines, iterations)
 * @param totalNanos summed task time
 * @param selfNanos time not spent in nested nodes (equals total except for loops and composites,
 *     whose bodies are profiled separately and whose own tasks take no time)
 * @param minNanos shortest task
 * @param maxNanos longest task
 * @param medianNanos median task time
 * @param elementsIn elements read from the node's inputs
 * @param elementsOut elements produced
 * @param bytesIn bytes read from the inputs
 * @param bytesOut bytes produced
 */
public record NodeProfile(
    String nodeId,
    String op,
    long calls,
    long totalNanos,
    long selfNanos,
    long minNanos,
    long maxNanos,
    long medianNanos,
    long elementsIn,
    long elementsOut,
    long bytesIn,
    long bytesOut) {
  /** Validates the components. */
  public NodeProfile {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(op, "op");
  }

  /** Mean task time in nanoseconds, 0 without calls. */
  public double meanNanos() {
    return calls == 0 ? 0 : (double) totalNanos / calls;
  }
}
