package org.jetlag.flink.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FlinkCluster#status} found: the recorded cluster, whether each of its processes is
 * alive, and what the REST API says. Immutable.
 *
 * @param info the cluster as recorded in {@code cluster.json}
 * @param processes each recorded process and whether it is alive, JobManager first
 * @param overview Flink's {@code GET /overview}; empty when the REST API did not answer
 * @param flinkVersion {@code flink-version} of {@code GET /config}; empty when it did not answer
 * @param restError why the REST API did not answer; empty when it did
 */
public record ClusterStatus(
    ClusterInfo info,
    List<ProcessState> processes,
    Optional<FlinkRest.Overview> overview,
    Optional<String> flinkVersion,
    Optional<String> restError) {

  /** Validates and copies. */
  public ClusterStatus {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(overview, "overview");
    Objects.requireNonNull(flinkVersion, "flinkVersion");
    Objects.requireNonNull(restError, "restError");
    processes = List.copyOf(processes);
  }

  /** The REST address {@code host:port}. */
  public String restAddress() {
    return info.restAddress();
  }

  /** The recorded processes that are no longer running. */
  public List<ProcessState> deadProcesses() {
    return processes.stream().filter(p -> !p.alive()).toList();
  }

  /**
   * True when every recorded process is alive, the REST API answers, and all recorded TaskManagers
   * are registered.
   */
  public boolean healthy() {
    return deadProcesses().isEmpty()
        && overview.map(o -> o.taskManagers() == info.taskManagers()).orElse(false);
  }

  /**
   * One recorded process and whether it still runs.
   *
   * @param name {@code jobmanager} or {@code taskmanager-N}
   * @param pid its process id
   * @param alive true when a process with this PID and start time is running
   */
  public record ProcessState(String name, long pid, boolean alive) {
    /** Validates. */
    public ProcessState {
      Objects.requireNonNull(name, "name");
    }
  }
}
