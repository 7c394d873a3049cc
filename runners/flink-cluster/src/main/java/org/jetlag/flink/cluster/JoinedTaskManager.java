package org.jetlag.flink.cluster;

import java.util.Objects;

/**
 * A TaskManager that joined a running cluster from outside {@link FlinkCluster#start}, as recorded
 * in {@code <dir>/joined/<name>.json} by {@link FlinkCluster#runTaskManager}: typically one per
 * further node of a Slurm allocation, run as an {@code srun --overlap} step. Immutable.
 *
 * @param name its name, such as {@code taskmanager-node2}; its log is {@code log/<name>.log}
 * @param node the host name of the machine it runs on (its PID means something there only)
 * @param pid its process id on {@code node}
 * @param startInstant when it started (ISO-8601), to tell it from a later process with its PID;
 *     empty when the system did not say
 * @param host the address it binds to and advertises
 */
public record JoinedTaskManager(
    String name, String node, long pid, String startInstant, String host) {
  /** Validates. */
  public JoinedTaskManager {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(startInstant, "startInstant");
    Objects.requireNonNull(host, "host");
  }
}
