package org.jetlag.flink.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jetlag.flink.cluster.internal.ConfigFiles;

/**
 * Everything needed to start a cluster's processes, computed by {@link FlinkCluster#prepare}: the
 * written config folder, the ports picked, the memory flags Flink's {@code BashJavaUtils} computed,
 * and the command line of each process. Immutable.
 *
 * <p>{@link FlinkCluster#start} runs these commands on this machine. A Slurm batch script can run
 * the same commands as job steps instead, for example {@code srun --overlap -N1 -n1 -w node2
 * <taskManagerCommand(1, "node2")>}, as long as {@code java}, the flink-lib folder and the cluster
 * folder have the same paths on every node (a shared file system) and the host given to {@link
 * ClusterSpec#withHost} is the JobManager node's address that the other nodes can reach.
 *
 * @param spec what was asked for
 * @param confDir the Flink configuration folder ({@code flink-conf.yaml}, {@code log4j.properties})
 * @param logDir where each process writes {@code <name>.log} and {@code <name>.out}
 * @param tmpDir {@code io.tmp.dirs} and every process's {@code java.io.tmpdir}
 * @param restPort the REST port
 * @param rpcPort the JobManager's RPC port
 * @param blobPort the JobManager's blob server port
 * @param jobManagerQueryPort the JobManager's metrics query service port
 * @param taskManagerPorts the ports of each TaskManager, in order
 * @param jobManagerJvmFlags JVM memory flags for the JobManager, from {@code BashJavaUtils}
 * @param jobManagerDynamicProperties {@code -D} properties for the JobManager, from {@code
 *     BashJavaUtils}
 * @param taskManagerJvmFlags JVM memory flags for each TaskManager, from {@code BashJavaUtils}
 * @param taskManagerDynamicProperties {@code -D} properties for each TaskManager, from {@code
 *     BashJavaUtils}
 */
public record LaunchPlan(
    ClusterSpec spec,
    Path confDir,
    Path logDir,
    Path tmpDir,
    int restPort,
    int rpcPort,
    int blobPort,
    int jobManagerQueryPort,
    List<TaskManagerPorts> taskManagerPorts,
    List<String> jobManagerJvmFlags,
    List<String> jobManagerDynamicProperties,
    List<String> taskManagerJvmFlags,
    List<String> taskManagerDynamicProperties) {

  /** The JobManager's main class (a session cluster, as Flink's {@code start-cluster.sh}). */
  public static final String JOB_MANAGER_CLASS =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";

  /** The TaskManager's main class. */
  public static final String TASK_MANAGER_CLASS =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  /** The JVM options every cluster process gets (Flink's Java 17 openings, Arrow's among them). */
  public static final List<String> JAVA_17_OPTIONS = ConfigFiles.JAVA_17_OPTIONS;

  /** Validates and copies. */
  public LaunchPlan {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(confDir, "confDir");
    Objects.requireNonNull(logDir, "logDir");
    Objects.requireNonNull(tmpDir, "tmpDir");
    taskManagerPorts = List.copyOf(taskManagerPorts);
    jobManagerJvmFlags = List.copyOf(jobManagerJvmFlags);
    jobManagerDynamicProperties = List.copyOf(jobManagerDynamicProperties);
    taskManagerJvmFlags = List.copyOf(taskManagerJvmFlags);
    taskManagerDynamicProperties = List.copyOf(taskManagerDynamicProperties);
    if (taskManagerPorts.size() != spec.taskManagers()) {
      throw new IllegalArgumentException(
          "taskManagerPorts: expected "
              + spec.taskManagers()
              + " entries, got "
              + taskManagerPorts.size());
    }
  }

  /**
   * The ports of one TaskManager.
   *
   * @param rpc {@code taskmanager.rpc.port}
   * @param data {@code taskmanager.data.port}
   * @param query {@code metrics.internal.query-service.port}
   */
  public record TaskManagerPorts(int rpc, int data, int query) {}

  /** The REST address {@code host:port}: Beam's {@code --flinkMaster}. */
  public String restAddress() {
    return spec.host() + ":" + restPort;
  }

  /** The name of TaskManager {@code number} (from 1): {@code taskmanager-<number>}. */
  public static String taskManagerName(int number) {
    return "taskmanager-" + number;
  }

  /**
   * The Flink log of the process named {@code name} ({@code jobmanager}, {@code taskmanager-1}).
   */
  public Path logFile(String name) {
    return logDir.resolve(name + ".log");
  }

  /** The standard output and error of the process named {@code name}. */
  public Path outFile(String name) {
    return logDir.resolve(name + ".out");
  }

  /** The JobManager's command line. */
  public List<String> jobManagerCommand() {
    List<String> cmd = jvm(jobManagerJvmFlags, "jobmanager");
    cmd.add(JOB_MANAGER_CLASS);
    cmd.add("--configDir");
    cmd.add(confDir.toString());
    cmd.addAll(jobManagerDynamicProperties);
    cmd.add("-Dmetrics.internal.query-service.port=" + jobManagerQueryPort);
    return List.copyOf(cmd);
  }

  /** The command line of TaskManager {@code number} (from 1) on the cluster's host. */
  public List<String> taskManagerCommand(int number) {
    return taskManagerCommand(number, spec.host());
  }

  /**
   * The command line of TaskManager {@code number} (from 1) running on {@code host}: it binds to
   * and advertises {@code host} and reaches the JobManager at the spec's host. A Slurm script may
   * pass a shell expression such as {@code $(hostname -i)} here and leave that argument unquoted.
   */
  public List<String> taskManagerCommand(int number, String host) {
    if (number < 1 || number > taskManagerPorts.size()) {
      throw new IllegalArgumentException(
          "TaskManager number: expected 1.." + taskManagerPorts.size() + ", got " + number);
    }
    return taskManagerCommand(taskManagerName(number), taskManagerPorts.get(number - 1), host);
  }

  /**
   * The command line of a TaskManager named {@code name} (its log is {@code <name>.log}) with these
   * ports, running on {@code host}: it binds to and advertises {@code host} and reaches the
   * JobManager at the spec's host. {@link FlinkCluster#taskManagerCommand(Path, String, String)}
   * uses it for a TaskManager that joins a running cluster from another node.
   */
  public List<String> taskManagerCommand(String name, TaskManagerPorts ports, String host) {
    Objects.requireNonNull(ports, "ports");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: expected a host name or address, got ''");
    }
    List<String> cmd = jvm(taskManagerJvmFlags, name);
    cmd.add(TASK_MANAGER_CLASS);
    cmd.add("--configDir");
    cmd.add(confDir.toString());
    cmd.addAll(taskManagerDynamicProperties);
    cmd.add("-Dtaskmanager.rpc.port=" + ports.rpc());
    cmd.add("-Dtaskmanager.data.port=" + ports.data());
    cmd.add("-Dmetrics.internal.query-service.port=" + ports.query());
    if (!host.equals(spec.host())) {
      cmd.add("-Dtaskmanager.host=" + host);
      cmd.add("-Dtaskmanager.bind-host=" + host);
    }
    return List.copyOf(cmd);
  }

  private List<String> jvm(List<String> memoryFlags, String name) {
    List<String> cmd = new ArrayList<>();
    cmd.add(spec.java().toString());
    cmd.addAll(memoryFlags);
    cmd.addAll(JAVA_17_OPTIONS);
    cmd.addAll(spec.jvmOptions());
    cmd.add("-Djava.io.tmpdir=" + tmpDir);
    cmd.add("-Dlog.file=" + logFile(name));
    cmd.add("-Dlog4j.configuration=file:" + confDir.resolve("log4j.properties"));
    cmd.add("-Dlog4j.configurationFile=file:" + confDir.resolve("log4j.properties"));
    cmd.add("-classpath");
    cmd.add(spec.flinkLib() + "/*");
    return cmd;
  }
}
