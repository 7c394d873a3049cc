package org.jetlag.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the graph runs on the remote system: the local runner's chunk size, memory limit and timeout
 * (each empty for the runner's default). Worker threads follow the cores Slurm gives.
 *
 * @param chunkBytes target bytes per chunk
 * @param memoryBytes most memory the run's arrays may hold
 * @param timeout fail the run when it takes longer
 */
public record RunSettings(
    OptionalLong chunkBytes, OptionalLong memoryBytes, Optional<Duration> timeout) {

  /** Every setting at the runner's default. */
  public static RunSettings defaults() {
    return new RunSettings(OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
  }

  /** The options of {@code jetlag run} that carry these settings, one word per element. */
  public List<String> runArgs() {
    List<String> a = new ArrayList<>();
    chunkBytes.ifPresent(b -> a.addAll(List.of("--chunk-size", Long.toString(b))));
    memoryBytes.ifPresent(b -> a.addAll(List.of("--memory", Long.toString(b))));
    timeout.ifPresent(t -> a.addAll(List.of("--timeout", t.toMillis() + "ms")));
    return a;
  }
}
