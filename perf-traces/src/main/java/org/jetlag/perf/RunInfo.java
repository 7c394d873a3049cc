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
 * @param chunkBytes the target chunk size of the run in bytes (0 when not known)
 */
public record RunInfo(
    String graphName,
    String graphHash,
    String runner,
    int threads,
    long startEpochMillis,
    double wallMicros,
    String jetlagVersion,
    long chunkBytes) {

  /** Run info without a known chunk size. */
  public RunInfo(
      String graphName,
      String graphHash,
      String runner,
      int threads,
      long startEpochMillis,
      double wallMicros,
      String jetlagVersion) {
    this(graphName, graphHash, runner, threads, startEpochMillis, wallMicros, jetlagVersion, 0);
  }

  /** Validates the components. */
  public RunInfo {
    Objects.requireNonNull(graphName, "graphName");
    Objects.requireNonNull(graphHash, "graphHash");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(jetlagVersion, "jetlagVersion");
  }

  /** The SHA-256 (hex) of a graph's canonical JSON: equal graphs, equal hashes. */
  public static String hashOf(org.jetlag.graph.Graph g) {
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  org.jetlag.graph.json.GraphJson.write(g)
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : h) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
