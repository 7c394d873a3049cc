package org.jetlag.perf;

import java.util.Objects;

/**
 * A value sampled during a run.
 *
 * @param name the counter: {@code live_bytes}, {@code tasks_running} or {@code tasks_waiting}
 * @param time microseconds from the run's start
 * @param value the sampled value
 */
public record CounterSample(String name, double time, double value) {
  /** Validates the name. */
  public CounterSample {
    Objects.requireNonNull(name, "name");
  }
}
