package org.jetlag.perf;

import java.util.Objects;

/**
 * What one node cost in a run: how many tasks it ran and how long they took.
 *
 * @param nodeId the node id (composite bodies as {@code loop_1/matmul_2})
 * @param op the op's wire name
 * @param calls tasks executed for this node (chunks, iterations)
 * @param totalNanos summed task time; time of fused tasks is apportioned by element work
 * @param minNanos shortest task
 * @param maxNanos longest task
 * @param elementsOut elements produced
 */
public record NodeProfile(
    String nodeId,
    String op,
    long calls,
    long totalNanos,
    long minNanos,
    long maxNanos,
    long elementsOut) {
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
