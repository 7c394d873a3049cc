package org.jetlag.flink.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A started cluster as recorded in {@code <dir>/cluster.json}: its addresses, ports and processes.
 * Immutable. Paths are absolute strings so that the JSON reads plainly.
 *
 * @param formatVersion the file format, {@value #FORMAT_VERSION}
 * @param state {@code starting} while {@link FlinkCluster#start} waits, then {@code ready}
 * @param host the address the processes bind to
 * @param restPort the REST port ({@link #restAddress()})
 * @param flinkLib the cluster classpath folder
 * @param confDir the Flink configuration folder
 * @param taskManagers the number of TaskManagers started
 * @param slotsPerTaskManager task slots per TaskManager
 * @param stopGraceMillis how long {@link FlinkCluster#stop} waits after SIGTERM before SIGKILL
 * @param startedAt when the cluster was started (ISO-8601)
 * @param processes the JobManager first, then the TaskManagers in order
 */
public record ClusterInfo(
    int formatVersion,
    String state,
    String host,
    int restPort,
    String flinkLib,
    String confDir,
    int taskManagers,
    int slotsPerTaskManager,
    long stopGraceMillis,
    String startedAt,
    List<ProcessInfo> processes) {

  /** The current {@code cluster.json} format. */
  public static final int FORMAT_VERSION = 1;

  /** State of a cluster whose processes were started but are not all registered yet. */
  public static final String STARTING = "starting";

  /** State of a cluster whose TaskManagers have all registered. */
  public static final String READY = "ready";

  /** Validates and copies. */
  public ClusterInfo {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(flinkLib, "flinkLib");
    Objects.requireNonNull(confDir, "confDir");
    Objects.requireNonNull(startedAt, "startedAt");
    processes = List.copyOf(processes);
  }

  /** The REST address {@code host:port}: Beam's {@code --flinkMaster}. */
  public String restAddress() {
    return host + ":" + restPort;
  }

  /** This record with another state. */
  public ClusterInfo withState(String newState) {
    return new ClusterInfo(
        formatVersion,
        newState,
        host,
        restPort,
        flinkLib,
        confDir,
        taskManagers,
        slotsPerTaskManager,
        stopGraceMillis,
        startedAt,
        processes);
  }

  /**
   * One cluster process.
   *
   * @param name {@code jobmanager} or {@code taskmanager-N} (N from 1)
   * @param pid the operating-system process id
   * @param startInstant when the process started (ISO-8601), to tell it from a later process that
   *     reuses the PID; empty when the system did not say
   * @param ports the ports it listens on by purpose ({@code rest}, {@code rpc}, {@code blob},
   *     {@code data}, {@code query}), in name order
   * @param logFile its Flink log
   * @param outFile its standard output and error
   */
  public record ProcessInfo(
      String name,
      long pid,
      String startInstant,
      SortedMap<String, Integer> ports,
      String logFile,
      String outFile) {
    /** Validates and copies. */
    public ProcessInfo {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(startInstant, "startInstant");
      Objects.requireNonNull(logFile, "logFile");
      Objects.requireNonNull(outFile, "outFile");
      ports = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(ports));
    }

    /** Its Flink log as a path. */
    public Path logPath() {
      return Path.of(logFile);
    }

    /** Its standard output and error as a path. */
    public Path outPath() {
      return Path.of(outFile);
    }

    /** True for the JobManager. */
    public boolean isJobManager() {
      return name.equals("jobmanager");
    }
  }
}
