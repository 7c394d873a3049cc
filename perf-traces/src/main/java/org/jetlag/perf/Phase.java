package org.jetlag.perf;

import java.util.Objects;

/**
 * A stretch of a run spent by the client rather than by a node: preparing the run, submitting and
 * waiting for an engine's job, collecting outputs. Runners that hand work to another engine (Beam,
 * Flink) record them, so that start-up and submission show apart from the nodes' work.
 *
 * @param name what happened, for example {@code "job 2 (submit and run)"}
 * @param start start in microseconds from the run's start
 * @param end end in microseconds from the run's start
 */
public record Phase(String name, double start, double end) {
  /** Validates the components. */
  public Phase {
    Objects.requireNonNull(name, "name");
    if (end < start) {
      throw new IllegalArgumentException("phase '" + name + "' ends before it starts");
    }
  }

  /** Duration in microseconds. */
  public double duration() {
    return end - start;
  }
}
