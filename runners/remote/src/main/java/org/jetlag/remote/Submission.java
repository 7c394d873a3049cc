package org.jetlag.remote;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One graph to send to a {@link Target}: what, where and with what resources. The app, queue and
 * nodes are a Tapis system's; a Flink session target uses the cores (as the parallelism) and the
 * minutes (as the run's time limit).
 *
 * @param graph the graph JSON file
 * @param inputs the input files by graph input name
 * @param settings the run settings
 * @param target where it runs
 * @param appId the JetLag ZIP app's id
 * @param appVersion the app's version
 * @param queue the logical queue, or empty for the system's default
 * @param nodes nodes, or empty for the app's default
 * @param cores cores per node, or empty for the app's default
 * @param minutes the wall-time limit, or empty for the app's default
 * @param runtimeVersion the JetLag runtime version the bundle needs (this JetLag's version)
 */
public record Submission(
    Path graph,
    Map<String, Path> inputs,
    RunSettings settings,
    Target target,
    String appId,
    String appVersion,
    Optional<String> queue,
    OptionalInt nodes,
    OptionalInt cores,
    OptionalInt minutes,
    String runtimeVersion) {
  /** Validates and copies. */
  public Submission {
    Objects.requireNonNull(graph, "graph");
    inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(appVersion, "appVersion");
    Objects.requireNonNull(runtimeVersion, "runtimeVersion");
  }

  /**
   * The Tapis execution system.
   *
   * @throws JetLagException when the target is not a Tapis system
   */
  public String systemId() {
    if (target instanceof Target.Tapis t) {
      return t.systemId();
    }
    throw new org.jetlag.graph.JetLagException("not a Tapis target: " + target);
  }
}
