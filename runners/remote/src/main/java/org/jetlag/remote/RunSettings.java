package org.jetlag.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jetlag.graph.JetLagException;

/**
 * How the graph runs on the remote system: the runner ({@code local}, or {@code flink} for a Flink
 * session cluster that the app starts inside the allocation), the chunk size, memory limit and
 * timeout (each empty for the runner's default). Worker threads (local) or task slots (flink)
 * follow the cores Slurm gives.
 *
 * @param chunkBytes target bytes per chunk
 * @param memoryBytes most memory the run's arrays may hold
 * @param timeout fail the run when it takes longer
 * @param runner {@code local} or {@code flink}
 */
public record RunSettings(
    OptionalLong chunkBytes, OptionalLong memoryBytes, Optional<Duration> timeout, String runner) {

  /** The runners a remote job can use. */
  public static final List<String> RUNNERS = List.of("local", "flink");

  /** Checks the runner's name. */
  public RunSettings {
    if (!RUNNERS.contains(runner)) {
      throw new JetLagException(
          "runner '" + runner + "': a remote job runs with one of " + RUNNERS);
    }
  }

  /** The settings with the local runner. */
  public RunSettings(
      OptionalLong chunkBytes, OptionalLong memoryBytes, Optional<Duration> timeout) {
    this(chunkBytes, memoryBytes, timeout, "local");
  }

  /** Every setting at the runner's default, with the local runner. */
  public static RunSettings defaults() {
    return new RunSettings(OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
  }

  /** These settings with another runner ({@code local} or {@code flink}). */
  public RunSettings withRunner(String name) {
    return new RunSettings(chunkBytes, memoryBytes, timeout, name);
  }

  /**
   * The options of {@code jetlag run} that carry these settings, one word per element. For the
   * Flink runner this is {@code --runner flink} without {@code --flink-master}: the app adds the
   * address of the cluster it started.
   */
  public List<String> runArgs() {
    List<String> a = new ArrayList<>();
    if (!"local".equals(runner)) {
      a.addAll(List.of("--runner", runner));
    }
    chunkBytes.ifPresent(b -> a.addAll(List.of("--chunk-size", Long.toString(b))));
    memoryBytes.ifPresent(b -> a.addAll(List.of("--memory", Long.toString(b))));
    timeout.ifPresent(t -> a.addAll(List.of("--timeout", t.toMillis() + "ms")));
    return a;
  }
}
