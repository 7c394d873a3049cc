package org.jetlag.flink.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link FlinkCluster#start} starts: where the cluster lives, which Flink classpath it runs
 * on, how many TaskManagers with how many slots, and their memory. Immutable; change a value with a
 * {@code withX} copy of {@link #of}'s defaults.
 *
 * @param dir the cluster's folder: {@code conf/}, {@code log/}, {@code tmp/} and {@code
 *     cluster.json} live here
 * @param flinkLib the folder of jars the cluster processes run on ({@code
 *     runners/flink-dist/target/flink-lib})
 * @param host the address every process binds to and advertises ({@code 127.0.0.1} by default)
 * @param taskManagers how many TaskManager processes, at least 1
 * @param slotsPerTaskManager task slots per TaskManager, at least 1
 * @param jobManagerMemoryBytes {@code jobmanager.memory.process.size}
 * @param taskManagerMemoryBytes {@code taskmanager.memory.process.size}
 * @param java the {@code java} executable the processes run on
 * @param jvmOptions extra options for every cluster JVM, after the ones Flink needs
 * @param config extra {@code flink-conf.yaml} entries; they override JetLag's choices
 * @param startTimeout how long {@link FlinkCluster#start} waits for every TaskManager to register
 * @param stopGracePeriod how long {@link FlinkCluster#stop} waits after SIGTERM before SIGKILL
 */
public record ClusterSpec(
    Path dir,
    Path flinkLib,
    String host,
    int taskManagers,
    int slotsPerTaskManager,
    long jobManagerMemoryBytes,
    long taskManagerMemoryBytes,
    Path java,
    List<String> jvmOptions,
    SortedMap<String, String> config,
    Duration startTimeout,
    Duration stopGracePeriod) {

  /** Flink needs at least this much for a JobManager or TaskManager process. */
  public static final long MIN_MEMORY_BYTES = 512L << 20;

  /** The default JobManager process size: 1 GiB. */
  public static final long DEFAULT_JOB_MANAGER_MEMORY = 1024L << 20;

  /** The default TaskManager process size: 1.5 GiB. */
  public static final long DEFAULT_TASK_MANAGER_MEMORY = 1536L << 20;

  /** Validates every value and copies the collections. */
  public ClusterSpec {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(flinkLib, "flinkLib");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "host: expected a host name or address, got '" + host + "'");
    }
    if (taskManagers < 1) {
      throw new IllegalArgumentException("taskManagers: expected at least 1, got " + taskManagers);
    }
    if (slotsPerTaskManager < 1) {
      throw new IllegalArgumentException(
          "slotsPerTaskManager: expected at least 1, got " + slotsPerTaskManager);
    }
    checkMemory("jobManagerMemoryBytes", jobManagerMemoryBytes);
    checkMemory("taskManagerMemoryBytes", taskManagerMemoryBytes);
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout: expected > 0, got " + startTimeout);
    }
    if (stopGracePeriod.isNegative()) {
      throw new IllegalArgumentException("stopGracePeriod: expected >= 0, got " + stopGracePeriod);
    }
    dir = dir.toAbsolutePath().normalize();
    flinkLib = flinkLib.toAbsolutePath().normalize();
    jvmOptions = List.copyOf(jvmOptions);
    config = Collections.unmodifiableSortedMap(new TreeMap<>(config));
  }

  private static void checkMemory(String what, long bytes) {
    if (bytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException(
          what + ": expected at least 512 MiB, got " + (bytes >> 20) + " MiB");
    }
  }

  /**
   * A spec with the defaults: one TaskManager on {@code 127.0.0.1} with one slot per core, 1 GiB
   * for the JobManager, 1.5 GiB for the TaskManager, this JVM's {@code java}, a 90 s start timeout
   * and a 15 s stop grace period.
   */
  public static ClusterSpec of(Path dir, Path flinkLib) {
    return new ClusterSpec(
        dir,
        flinkLib,
        "127.0.0.1",
        1,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        DEFAULT_JOB_MANAGER_MEMORY,
        DEFAULT_TASK_MANAGER_MEMORY,
        Path.of(System.getProperty("java.home"), "bin", "java"),
        List.of(),
        new TreeMap<>(),
        Duration.ofSeconds(90),
        Duration.ofSeconds(15));
  }

  /** This spec with processes bound to and advertising {@code host}. */
  public ClusterSpec withHost(String host) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        config,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec with {@code n} TaskManagers. */
  public ClusterSpec withTaskManagers(int n) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        n,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        config,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec with {@code slots} task slots per TaskManager. */
  public ClusterSpec withSlots(int slots) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slots,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        config,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec with the JobManager process size {@code bytes}. */
  public ClusterSpec withJobManagerMemory(long bytes) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        bytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        config,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec with the process size of each TaskManager {@code bytes}. */
  public ClusterSpec withTaskManagerMemory(long bytes) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        bytes,
        java,
        jvmOptions,
        config,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec with processes run by the {@code java} executable given. */
  public ClusterSpec withJava(Path java) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        config,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec with {@code options} added to every cluster JVM's command line. */
  public ClusterSpec withJvmOptions(List<String> options) {
    List<String> all = new ArrayList<>(jvmOptions);
    all.addAll(options);
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        all,
        config,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec with the {@code flink-conf.yaml} entry {@code key: value} (overrides JetLag's). */
  public ClusterSpec withConfig(String key, String value) {
    if (key.isBlank() || key.contains(":") || key.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "config key: expected a Flink option name, got '" + key + "'");
    }
    if (value.contains("\n")) {
      throw new IllegalArgumentException("config '" + key + "': value spans lines");
    }
    SortedMap<String, String> all = new TreeMap<>(config);
    all.put(key, value);
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        all,
        startTimeout,
        stopGracePeriod);
  }

  /** This spec waiting at most {@code timeout} for the cluster to be ready. */
  public ClusterSpec withStartTimeout(Duration timeout) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        config,
        timeout,
        stopGracePeriod);
  }

  /** This spec giving processes {@code grace} to exit after SIGTERM before SIGKILL. */
  public ClusterSpec withStopGracePeriod(Duration grace) {
    return new ClusterSpec(
        dir,
        flinkLib,
        host,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemoryBytes,
        taskManagerMemoryBytes,
        java,
        jvmOptions,
        config,
        startTimeout,
        grace);
  }
}
