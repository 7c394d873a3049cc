package org.jetlag.perf;

import java.util.Objects;

/**
 * What ran, where and when.
 *
 * @param graphName the graph's name
 * @param graphHash SHA-256 of the graph's canonical JSON (hex), to tell versions apart
 * @param runner the runner ({@code local})
 * @param threads worker threads (or task slots)
 * @param startEpochMillis wall-clock start, milliseconds since the epoch
 * @param wallMicros elapsed time of the run in microseconds
 * @param jetlagVersion the JetLag version that ran it
 */
public record RunInfo(
    String graphName,
    String graphHash,
    String runner,
    int threads,
    long startEpochMillis,
    double wallMicros,
    String jetlagVersion) {
  /** Validates the components. */
  public RunInfo {
    Objects.requireNonNull(graphName, "graphName");
    Objects.requireNonNull(graphHash, "graphHash");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(jetlagVersion, "jetlagVersion");
  }
}
