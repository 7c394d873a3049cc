package org.jetlag.flink.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jetlag.flink.cluster.ClusterInfo.ProcessInfo;
import org.jetlag.flink.cluster.internal.ConfigFiles;
import org.jetlag.flink.cluster.internal.Json;
import org.jetlag.flink.cluster.internal.Ports;
import org.jetlag.flink.cluster.internal.Procs;

/**
 * A Flink session cluster: a JobManager and TaskManagers as separate JVMs on this machine, run on
 * the jars of a flink-lib folder and recorded in {@code <dir>/cluster.json}.
 *
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.start(ClusterSpec.of(dir, flinkLib))) {
 *   String master = cluster.restAddress();   // "127.0.0.1:41234": --flinkMaster for Beam
 *   ...
 * }                                          // close() stops it
 * }</pre>
 *
 * <p>{@link #status(Path)} and {@link #stop(Path)} work from the folder alone, from any process.
 * Processes are stopped by their recorded PID (checked against their recorded start time), never by
 * name. An instance is immutable and thread-safe.
 */
public final class FlinkCluster implements AutoCloseable {
  /** The file in the cluster folder that records a started cluster. */
  public static final String CLUSTER_FILE = "cluster.json";

  private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Duration BASH_JAVA_UTILS_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int TAIL_LINES = 25;
  private static final String PORT_TAKEN = "java.net.BindException";
  private static final Pattern JOIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The folder in a cluster folder where joining TaskManagers record themselves. */
  public static final String JOINED_DIR = "joined";

  private final Path dir;
  private final ClusterInfo info;
  private final Duration startupTime;

  private FlinkCluster(Path dir, ClusterInfo info, Duration startupTime) {
    this.dir = dir;
    this.info = info;
    this.startupTime = startupTime;
  }

  /** The cluster folder. */
  public Path dir() {
    return dir;
  }

  /** The cluster as recorded in {@code cluster.json}. */
  public ClusterInfo info() {
    return info;
  }

  /** The REST address {@code host:port}: Beam's {@code --flinkMaster}. */
  public String restAddress() {
    return info.restAddress();
  }

  /** How long {@link #start} took, from writing the config to the last TaskManager registering. */
  public Duration startupTime() {
    return startupTime;
  }

  /** This cluster's status now ({@link #status(Path)}). */
  public ClusterStatus status() {
    return status(dir)
        .orElseThrow(
            () ->
                new FlinkClusterException(
                    "Flink cluster in " + dir + ": " + CLUSTER_FILE + " is gone"));
  }

  /** Stops the cluster ({@link #stop(Path)}); does nothing if it was stopped already. */
  @Override
  public void close() {
    stop(dir);
  }

  // ---------------------------------------------------------------------------------------------
  // prepare

  /**
   * Writes the cluster's config folder, picks its ports and computes its memory flags, and returns
   * the command lines that start it, without starting anything.
   *
   * @throws FlinkClusterException when the flink-lib folder or {@code java} is missing, a folder
   *     cannot be written, or Flink rejects the memory settings
   */
  public static LaunchPlan prepare(ClusterSpec spec) {
    checkFlinkLib(spec.flinkLib());
    if (!Files.isExecutable(spec.java())) {
      throw new FlinkClusterException("Flink cluster: java not found at " + spec.java());
    }
    Path dir = spec.dir();
    Path conf = dir.resolve("conf");
    Path log = dir.resolve("log");
    Path tmp = dir.resolve("tmp");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(log);
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot create its folders: " + e.getMessage(), e);
    }

    int n = spec.taskManagers();
    List<Integer> ports;
    try {
      ports = Ports.free(spec.host(), 4 + 3 * n);
    } catch (UncheckedIOException e) {
      throw new FlinkClusterException("Flink cluster in " + dir + ": " + e.getMessage(), e);
    }
    int rest = ports.get(0);
    int rpc = ports.get(1);
    int blob = ports.get(2);
    int jmQuery = ports.get(3);
    List<LaunchPlan.TaskManagerPorts> tmPorts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int base = 4 + 3 * i;
      tmPorts.add(
          new LaunchPlan.TaskManagerPorts(
              ports.get(base), ports.get(base + 1), ports.get(base + 2)));
    }

    Map<String, String> entries = new LinkedHashMap<>();
    String host = spec.host();
    entries.put("jobmanager.rpc.address", host);
    entries.put("jobmanager.rpc.port", Integer.toString(rpc));
    entries.put("jobmanager.bind-host", host);
    entries.put("jobmanager.memory.process.size", memory(spec.jobManagerMemoryBytes()));
    entries.put("taskmanager.host", host);
    entries.put("taskmanager.bind-host", host);
    // Each TaskManager gets its own ports with -D; these are the first one's, for reference.
    entries.put("taskmanager.rpc.port", Integer.toString(tmPorts.get(0).rpc()));
    entries.put("taskmanager.data.port", Integer.toString(tmPorts.get(0).data()));
    entries.put("taskmanager.memory.process.size", memory(spec.taskManagerMemoryBytes()));
    entries.put("taskmanager.numberOfTaskSlots", Integer.toString(spec.slotsPerTaskManager()));
    entries.put("parallelism.default", "1");
    // Beam's batch jobs have blocking exchanges, and Flink 1.19 gives every blocking result
    // partition a sort-shuffle with at least 512 network buffers (16 MB): a Beam job of about a
    // hundred vertices (five TextIO writes) then fails on a 1.5 GiB TaskManager with "Insufficient
    // number of network buffers". The hash-based blocking shuffle needs a few buffers per
    // partition (measured: 441 vertices at parallelism 2 run); use it below 128 consumers, where
    // it is the better choice anyway, and fewer sort-shuffle buffers above.
    entries.put("taskmanager.network.sort-shuffle.min-parallelism", "128");
    entries.put("taskmanager.network.sort-shuffle.min-buffers", "64");
    entries.put("rest.address", host);
    entries.put("rest.bind-address", host);
    entries.put("rest.port", Integer.toString(rest));
    entries.put("blob.server.port", Integer.toString(blob));
    entries.put("metrics.internal.query-service.port", Integer.toString(jmQuery));
    // Flink leaves 22 MB rpc jars, blobs and uploaded job jars in its temporary folders.
    entries.put("io.tmp.dirs", tmp.toString());
    entries.put("web.tmpdir", tmp.resolve("web").toString());
    entries.put("blob.storage.directory", tmp.resolve("blob").toString());
    // Read by Flink's own scripts only; this launcher adds them to the command lines itself.
    entries.put("env.java.opts.all", String.join(" ", ConfigFiles.JAVA_17_OPTIONS));
    entries.putAll(spec.config());
    String header =
        "Written by JetLag (org.jetlag.flink.cluster) for the session cluster in "
            + dir
            + ".\nRewritten on every start: change the settings with the start options instead.";
    try {
      Files.writeString(
          conf.resolve("flink-conf.yaml"),
          ConfigFiles.flinkConf(header, entries),
          StandardCharsets.UTF_8);
      Files.writeString(
          conf.resolve("log4j.properties"), ConfigFiles.log4j(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot write its config: " + e.getMessage(), e);
    }

    List<List<String>> jm;
    List<List<String>> tm;
    Process jmUtils = null;
    Process tmUtils = null;
    try {
      jmUtils = bashJavaUtils(spec, conf, log, "GET_JM_RESOURCE_PARAMS", "jobmanager");
      tmUtils = bashJavaUtils(spec, conf, log, "GET_TM_RESOURCE_PARAMS", "taskmanager");
      jm = bashJavaUtilsResult(jmUtils, log, "jobmanager", dir);
      tm = bashJavaUtilsResult(tmUtils, log, "taskmanager", dir);
    } finally {
      for (Process p : new Process[] {jmUtils, tmUtils}) {
        if (p != null && p.isAlive()) {
          p.destroyForcibly();
        }
      }
    }
    return new LaunchPlan(
        spec, conf, log, tmp, rest, rpc, blob, jmQuery, tmPorts, jm.get(0), jm.get(1), tm.get(0),
        tm.get(1));
  }

  private static void checkFlinkLib(Path flinkLib) {
    boolean ok = false;
    if (Files.isDirectory(flinkLib)) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(flinkLib, "flink-runtime-*.jar")) {
        ok = jars.iterator().hasNext();
      } catch (IOException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new FlinkClusterException(
          "Flink cluster classpath not found: "
              + flinkLib
              + (Files.isDirectory(flinkLib) ? " has no flink-runtime-*.jar" : " does not exist")
              + "; build it with 'mvn -pl runners/flink-dist package' in the JetLag folder"
              + " (or point JETLAG_FLINK_LIB at a folder of Flink 1.19 jars)");
    }
  }

  /** Flink's memory size syntax: whole mebibytes as {@code <n>m}, else bytes as {@code <n>b}. */
  private static String memory(long bytes) {
    return bytes % (1L << 20) == 0 ? (bytes >> 20) + "m" : bytes + "b";
  }

  private static Process bashJavaUtils(
      ClusterSpec spec, Path conf, Path log, String command, String role) {
    List<String> cmd =
        List.of(
            spec.java().toString(),
            "-Dlog.file=" + log.resolve("bash-java-utils.log"),
            "-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"),
            "-classpath",
            spec.flinkLib() + "/*",
            BASH_JAVA_UTILS,
            command,
            "--configDir",
            conf.toString());
    try {
      return Procs.spawn(cmd, log.resolve("bash-java-utils-" + role + ".out"), false);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + spec.dir() + ": cannot run " + spec.java() + ": " + e.getMessage(),
          e);
    }
  }

  /** The two result lines of BashJavaUtils: JVM flags, then dynamic properties. */
  private static List<List<String>> bashJavaUtilsResult(
      Process p, Path log, String role, Path dir) {
    Path out = log.resolve("bash-java-utils-" + role + ".out");
    try {
      if (!p.waitFor(BASH_JAVA_UTILS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new FlinkClusterException(
            "Flink cluster in "
                + dir
                + ": computing the "
                + role
                + " memory flags (BashJavaUtils) took over "
                + BASH_JAVA_UTILS_TIMEOUT.toSeconds()
                + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("Flink cluster in " + dir + ": interrupted", e);
    }
    List<String> results = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (line.startsWith(RESULT_PREFIX)) {
          results.add(line.substring(RESULT_PREFIX.length()).strip());
        }
      }
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot read " + out + ": " + e.getMessage(), e);
    }
    if (p.exitValue() != 0 || results.size() < 2) {
      throw new FlinkClusterException(
          "Flink cluster in "
              + dir
              + ": Flink rejected the "
              + role
              + " settings (BashJavaUtils exited with "
              + p.exitValue()
              + "); last lines of "
              + out
              + ":\n"
              + Procs.tail(out, TAIL_LINES));
    }
    List<List<String>> split = new ArrayList<>();
    for (String r : results.subList(results.size() - 2, results.size())) {
      split.add(r.isEmpty() ? List.of() : List.of(r.split("\\s+")));
    }
    return split;
  }

  // ---------------------------------------------------------------------------------------------
  // start

  /**
   * Starts a cluster as {@code spec} says and waits until every TaskManager has registered and
   * reported its slots free.
   *
   * <p>Fails fast, naming the process and showing the end of its log, when a process exits during
   * the start; fails after {@link ClusterSpec#startTimeout()} otherwise. On failure every started
   * process is stopped again. The processes outlive this JVM (they run in a session of their own)
   * until {@link #stop(Path)}.
   *
   * @throws FlinkClusterException when a cluster recorded in the folder still runs, the flink-lib
   *     folder is missing, or the cluster did not come up
   */
  public static FlinkCluster start(ClusterSpec spec) {
    long t0 = System.nanoTime();
    Path dir = spec.dir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot create the folder: " + e.getMessage(), e);
    }
    // One start at a time per folder: two would both find no running cluster and start two.
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve(".start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel)) {
      if (lock == null) {
        throw new FlinkClusterException(
            "Flink cluster in " + dir + ": another start is in progress in this folder");
      }
      return startLocked(spec, t0);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot lock the folder: " + e.getMessage(), e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static FlinkCluster startLocked(ClusterSpec spec, long t0) {
    Path dir = spec.dir();
    Optional<ClusterInfo> existing = read(dir);
    if (existing.isPresent()) {
      List<ProcessInfo> alive =
          existing.get().processes().stream()
              .filter(p -> Procs.find(p.pid(), p.startInstant()).isPresent())
              .toList();
      if (!alive.isEmpty()) {
        throw new FlinkClusterException(
            "a Flink cluster is already running in "
                + dir
                + " (REST "
                + existing.get().restAddress()
                + ", "
                + alive.size()
                + " processes); stop it first");
      }
      deleteClusterFile(dir);
    }
    try {
      return launchAndWait(spec, t0);
    } catch (FlinkClusterException e) {
      // Ports are picked free but bound a moment later; another process on a busy machine may
      // take one in between. Try once more with fresh ports.
      if (!String.valueOf(e.getMessage()).contains(PORT_TAKEN)) {
        throw e;
      }
      return launchAndWait(spec, t0);
    }
  }

  private static FlinkCluster launchAndWait(ClusterSpec spec, long t0) {
    Path dir = spec.dir();
    rotateLogs(dir);
    LaunchPlan plan = prepare(spec);

    List<Process> processes = new CopyOnWriteArrayList<>();
    List<ProcessInfo> infos = new ArrayList<>();
    Thread cleanup = new Thread(() -> processes.forEach(Process::destroyForcibly), "flink-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    boolean ok = false;
    try {
      Map<String, Integer> jmPorts = new TreeMap<>();
      jmPorts.put("rest", plan.restPort());
      jmPorts.put("rpc", plan.rpcPort());
      jmPorts.put("blob", plan.blobPort());
      jmPorts.put("query", plan.jobManagerQueryPort());
      infos.add(launch(plan, "jobmanager", plan.jobManagerCommand(), jmPorts, processes));
      for (int i = 1; i <= spec.taskManagers(); i++) {
        LaunchPlan.TaskManagerPorts p = plan.taskManagerPorts().get(i - 1);
        Map<String, Integer> ports = new TreeMap<>();
        ports.put("rpc", p.rpc());
        ports.put("data", p.data());
        ports.put("query", p.query());
        infos.add(
            launch(
                plan, LaunchPlan.taskManagerName(i), plan.taskManagerCommand(i), ports, processes));
      }
      ClusterInfo info =
          new ClusterInfo(
              ClusterInfo.FORMAT_VERSION,
              ClusterInfo.STARTING,
              spec.host(),
              plan.restPort(),
              spec.flinkLib().toString(),
              plan.confDir().toString(),
              spec.taskManagers(),
              spec.slotsPerTaskManager(),
              spec.stopGracePeriod().toMillis(),
              Instant.now().toString(),
              infos);
      write(dir, info);
      awaitReady(plan, processes, infos);
      info = info.withState(ClusterInfo.READY);
      write(dir, info);
      ok = true;
      return new FlinkCluster(dir, info, Duration.ofNanos(System.nanoTime() - t0));
    } finally {
      if (!ok) {
        List<Optional<ProcessHandle>> handles = new ArrayList<>();
        processes.forEach(p -> handles.add(Optional.of(p.toHandle())));
        try {
          Procs.terminate(handles, Duration.ofSeconds(5), KILL_WAIT);
        } catch (InterruptedException e) {
          processes.forEach(Process::destroyForcibly);
          Thread.currentThread().interrupt();
        }
        deleteClusterFile(dir);
        // The 22 MB rpc jars of the failed processes; the logs stay for the error message.
        deleteQuietly(dir.resolve("tmp"));
      }
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook runs anyway.
      }
    }
  }

  private static ProcessInfo launch(
      LaunchPlan plan,
      String name,
      List<String> command,
      Map<String, Integer> ports,
      List<Process> started) {
    Path out = plan.outFile(name);
    Process p;
    try {
      p = Procs.spawn(command, out, true);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in "
              + plan.spec().dir()
              + ": cannot start "
              + name
              + ": "
              + e.getMessage(),
          e);
    }
    started.add(p);
    return new ProcessInfo(
        name,
        p.pid(),
        Procs.startInstant(p.toHandle()),
        new TreeMap<>(ports),
        plan.logFile(name).toString(),
        out.toString());
  }

  private static void awaitReady(
      LaunchPlan plan, List<Process> processes, List<ProcessInfo> infos) {
    ClusterSpec spec = plan.spec();
    FlinkRest rest = new FlinkRest(Duration.ofSeconds(1), Duration.ofSeconds(5));
    long deadline = System.nanoTime() + spec.startTimeout().toNanos();
    String last = "no answer yet";
    while (true) {
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        if (!p.isAlive()) {
          ProcessInfo info = infos.get(i);
          throw new FlinkClusterException(
              "Flink cluster in "
                  + spec.dir()
                  + ": "
                  + info.name()
                  + " (pid "
                  + info.pid()
                  + ") exited with status "
                  + p.exitValue()
                  + " during the start"
                  + tails(info));
        }
      }
      try {
        FlinkRest.Overview o = rest.overview(plan.restAddress());
        // A TaskManager counts as registered before its slots are reported free: wait for both,
        // so that the first job finds every slot.
        int slots = spec.taskManagers() * spec.slotsPerTaskManager();
        if (o.taskManagers() >= spec.taskManagers() && o.slotsAvailable() >= slots) {
          return;
        }
        last =
            o.taskManagers()
                + " of "
                + spec.taskManagers()
                + " TaskManagers registered, "
                + o.slotsAvailable()
                + " of "
                + slots
                + " slots free";
      } catch (FlinkClusterException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        StringBuilder sb = new StringBuilder();
        for (ProcessInfo info : infos) {
          sb.append(tails(info));
        }
        throw new FlinkClusterException(
            "Flink cluster in "
                + spec.dir()
                + ": not ready within "
                + spec.startTimeout().toSeconds()
                + " s ("
                + last
                + ")"
                + sb);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FlinkClusterException(
            "Flink cluster in " + spec.dir() + ": start interrupted", e);
      }
    }
  }

  private static String tails(ProcessInfo info) {
    StringBuilder sb = new StringBuilder();
    for (Path f : List.of(info.outPath(), info.logPath())) {
      String t = Procs.tail(f, TAIL_LINES);
      if (!t.isBlank()) {
        sb.append("\n--- last lines of ").append(f).append(":\n").append(t);
      }
    }
    return sb.toString();
  }

  /** Keeps the previous start's logs in {@code log.previous/}, so each start's logs begin empty. */
  private static void rotateLogs(Path dir) {
    Path log = dir.resolve("log");
    if (!Files.isDirectory(log)) {
      return;
    }
    Path previous = dir.resolve("log.previous");
    try {
      deleteRecursively(previous);
      Files.move(log, previous, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot move the old logs aside: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // TaskManagers that join a running cluster (the further nodes of a Slurm allocation)

  /**
   * The command line of one more TaskManager for the cluster recorded in {@code dir}, to run on
   * this machine bound to {@code host}: the same memory flags as the cluster's own TaskManagers
   * (Flink's {@code BashJavaUtils} on the cluster's config), ports free on {@code host} now, its
   * log {@code log/<name>.log}. Nothing is started. {@code java} is this JVM's; options given to
   * the cluster's {@link ClusterSpec#withJvmOptions} are not recorded, so not applied here.
   *
   * @param dir a cluster folder, on a file system this machine shares with the JobManager's
   * @param host the address this machine binds to and the JobManager reaches it at
   * @param name the TaskManager's name, letters, digits, '.', '_' and '-'
   * @throws FlinkClusterException when no cluster is recorded in {@code dir}, or its flink-lib or
   *     config is not readable from here
   */
  public static List<String> taskManagerCommand(Path dir, String host, String name) {
    Path d = dir.toAbsolutePath().normalize();
    ClusterInfo info = recordedForJoin(d, name);
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "host: expected a host name or address, got '" + host + "'");
    }
    ClusterSpec spec =
        ClusterSpec.of(d, Path.of(info.flinkLib()))
            .withHost(info.host())
            .withSlots(info.slotsPerTaskManager());
    checkFlinkLib(spec.flinkLib());
    Path conf = Path.of(info.confDir());
    Path log = d.resolve("log");
    List<Integer> ports;
    try {
      Files.createDirectories(log);
      ports = Ports.free(host, 3);
    } catch (IOException | UncheckedIOException e) {
      throw new FlinkClusterException(
          "Flink cluster in "
              + d
              + ": TaskManager '"
              + name
              + "' on "
              + host
              + ": "
              + e.getMessage(),
          e);
    }
    LaunchPlan.TaskManagerPorts tmPorts =
        new LaunchPlan.TaskManagerPorts(ports.get(0), ports.get(1), ports.get(2));
    Process utils = null;
    List<List<String>> tm;
    try {
      utils = bashJavaUtils(spec, conf, log, "GET_TM_RESOURCE_PARAMS", name);
      tm = bashJavaUtilsResult(utils, log, name, d);
    } finally {
      if (utils != null && utils.isAlive()) {
        utils.destroyForcibly();
      }
    }
    // A plan of this one TaskManager: the JobManager's parts are not needed here.
    LaunchPlan plan =
        new LaunchPlan(
            spec,
            conf,
            log,
            d.resolve("tmp"),
            info.restPort(),
            0,
            0,
            0,
            List.of(tmPorts),
            List.of(),
            List.of(),
            tm.get(0),
            tm.get(1));
    return plan.taskManagerCommand(name, tmPorts, host);
  }

  private static ClusterInfo recordedForJoin(Path dir, String name) {
    if (!JOIN_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: expected 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    ClusterInfo info =
        read(dir)
            .orElseThrow(
                () ->
                    new FlinkClusterException(
                        "no Flink cluster is recorded in "
                            + dir
                            + ": start one there first (jetlag cluster start --dir "
                            + dir
                            + ")"));
    if (info.processes().stream().anyMatch(p -> p.name().equals(name))) {
      throw new IllegalArgumentException(
          "name: '" + name + "' is taken by a process of the cluster in " + dir);
    }
    return info;
  }

  /**
   * Runs one more TaskManager for the cluster recorded in {@code dir} on this machine ({@link
   * #taskManagerCommand(Path, String, String)}) until it exits, and returns its exit status. It is
   * this process's child in this process's session, so that a batch system's process tracking
   * (Slurm's job step) reaches it; it is recorded in {@code joined/<name>.json} while it runs, so
   * that {@link #stop(Path)} on the same machine stops it too. When this JVM is asked to end
   * (SIGTERM), the TaskManager gets SIGTERM, the cluster's grace period, then SIGKILL.
   *
   * @throws FlinkClusterException when it cannot be prepared or started
   */
  public static int runTaskManager(Path dir, String host, String name) {
    Path d = dir.toAbsolutePath().normalize();
    List<String> command = taskManagerCommand(d, host, name);
    ClusterInfo info = recordedForJoin(d, name);
    Path out = d.resolve("log").resolve(name + ".out");
    Path record = d.resolve(JOINED_DIR).resolve(name + ".json");
    Process p;
    try {
      Files.createDirectories(record.getParent());
      p = Procs.spawn(command, out, false);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + d + ": cannot start TaskManager '" + name + "': " + e.getMessage(),
          e);
    }
    Duration grace = Duration.ofMillis(info.stopGraceMillis());
    Runnable stop =
        () -> {
          try {
            Procs.terminate(List.of(Optional.of(p.toHandle())), grace, KILL_WAIT);
          } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
          }
          deleteQuietly(record);
        };
    Thread stopper = new Thread(stop, "taskmanager-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      write(
          record,
          new JoinedTaskManager(
              name, Procs.hostName(), p.pid(), Procs.startInstant(p.toHandle()), host));
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException(
          "Flink cluster in " + d + ": TaskManager '" + name + "' interrupted", e);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
        if (p.isAlive()) {
          stop.run();
        }
        deleteQuietly(record);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook stops the TaskManager.
      }
    }
  }

  /** The TaskManagers recorded in {@code dir/joined/}, in name order; empty when there are none. */
  public static List<JoinedTaskManager> joined(Path dir) {
    Path folder = dir.resolve(JOINED_DIR);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<JoinedTaskManager> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
      for (Path f : files) {
        try {
          found.add(Json.read(f, JoinedTaskManager.class));
        } catch (IOException e) {
          // Being written or removed right now: not a TaskManager to count on.
        }
      }
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot list " + folder + ": " + e.getMessage(), e);
    }
    found.sort(Comparator.comparing(JoinedTaskManager::name));
    return List.copyOf(found);
  }

  /**
   * What {@link #awaitTaskManagers} saw.
   *
   * @param taskManagers the registered TaskManagers, as Flink lists them
   * @param waited how long it waited
   */
  public record Registration(List<FlinkRest.TaskManagerSummary> taskManagers, Duration waited) {
    /** Validates and copies. */
    public Registration {
      taskManagers = List.copyOf(taskManagers);
      Objects.requireNonNull(waited, "waited");
    }

    /** Task slots over all registered TaskManagers. */
    public int slots() {
      return taskManagers.stream().mapToInt(FlinkRest.TaskManagerSummary::slots).sum();
    }
  }

  /**
   * Waits until at least {@code count} TaskManagers have registered with the cluster recorded in
   * {@code dir} ({@code GET /taskmanagers}) and reported their slots ({@code count} times the
   * cluster's slots per TaskManager), all free; polls every 200 ms.
   *
   * @throws FlinkClusterException after {@code timeout}, saying how many registered and which
   *     joining TaskManagers are recorded
   */
  public static Registration awaitTaskManagers(Path dir, int count, Duration timeout) {
    if (count < 1) {
      throw new IllegalArgumentException("count: expected at least 1, got " + count);
    }
    Path d = dir.toAbsolutePath().normalize();
    ClusterInfo info =
        read(d)
            .orElseThrow(() -> new FlinkClusterException("no Flink cluster is recorded in " + d));
    FlinkRest rest = new FlinkRest(Duration.ofSeconds(1), Duration.ofSeconds(5));
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    String last = "no answer yet";
    while (true) {
      try {
        List<FlinkRest.TaskManagerSummary> tms = rest.taskManagers(info.restAddress());
        int slots = tms.stream().mapToInt(FlinkRest.TaskManagerSummary::slots).sum();
        int free = tms.stream().mapToInt(FlinkRest.TaskManagerSummary::freeSlots).sum();
        // A TaskManager registers before it reports its slots: wait for every slot, free.
        int expected = count * info.slotsPerTaskManager();
        if (tms.size() >= count && slots >= expected && free >= slots) {
          return new Registration(tms, Duration.ofNanos(System.nanoTime() - t0));
        }
        last = tms.size() + " of " + count + " TaskManagers registered";
      } catch (FlinkClusterException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        StringBuilder recorded = new StringBuilder();
        for (JoinedTaskManager j : joined(d)) {
          recorded.append(recorded.length() == 0 ? "" : ", ");
          recorded.append(j.name()).append(" on ").append(j.node()).append(" pid ").append(j.pid());
        }
        throw new FlinkClusterException(
            "Flink cluster in "
                + d
                + ": "
                + last
                + " within "
                + timeout.toSeconds()
                + " s (joined TaskManagers recorded: "
                + (recorded.length() == 0 ? "none" : recorded)
                + "; their logs are in "
                + d.resolve("log")
                + ")");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FlinkClusterException("Flink cluster in " + d + ": wait interrupted", e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // status and stop

  /** The cluster recorded in {@code dir}'s {@code cluster.json}; empty when there is none. */
  public static Optional<ClusterInfo> read(Path dir) {
    Path file = dir.resolve(CLUSTER_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.read(file, ClusterInfo.class));
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * What the cluster recorded in {@code dir} is doing: which of its processes are alive, and what
   * its REST API says (TaskManagers, slots, running jobs, Flink version). Empty when no cluster is
   * recorded there. Waits at most a few seconds for the REST API.
   */
  public static Optional<ClusterStatus> status(Path dir) {
    Optional<ClusterInfo> recorded = read(dir);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    ClusterInfo info = recorded.get();
    List<ClusterStatus.ProcessState> states = new ArrayList<>();
    for (ProcessInfo p : info.processes()) {
      states.add(
          new ClusterStatus.ProcessState(
              p.name(), p.pid(), Procs.find(p.pid(), p.startInstant()).isPresent()));
    }
    FlinkRest rest = new FlinkRest(Duration.ofSeconds(2), Duration.ofSeconds(5));
    Optional<FlinkRest.Overview> overview = Optional.empty();
    Optional<String> version = Optional.empty();
    Optional<String> error = Optional.empty();
    try {
      overview = Optional.of(rest.overview(info.restAddress()));
      version = Optional.of(rest.flinkVersion(info.restAddress()));
    } catch (FlinkClusterException e) {
      error = Optional.of(e.getMessage());
    }
    return Optional.of(new ClusterStatus(info, states, overview, version, error));
  }

  /**
   * How {@link #stop(Path)} ended each process.
   *
   * @param restAddress the stopped cluster's REST address
   * @param processes each recorded process and its outcome, JobManager first
   */
  public record StopReport(String restAddress, List<Stopped> processes) {
    /** Validates and copies. */
    public StopReport {
      Objects.requireNonNull(restAddress, "restAddress");
      processes = List.copyOf(processes);
    }

    /**
     * One process.
     *
     * @param name {@code jobmanager} or {@code taskmanager-N}
     * @param pid its process id
     * @param outcome {@code not-running}, {@code terminated} (exited after SIGTERM) or {@code
     *     killed} (SIGKILL after the grace period)
     */
    public record Stopped(String name, long pid, String outcome) {
      /** Validates. */
      public Stopped {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
      }
    }
  }

  /**
   * Stops the cluster recorded in {@code dir}: SIGTERM to every recorded process that still runs
   * (matched by PID and start time), the recorded grace period, SIGKILL to those left, a bounded
   * wait; then removes {@code cluster.json} and the cluster's {@code tmp/} folder (logs and config
   * stay). Empty when no cluster is recorded there.
   *
   * @throws FlinkClusterException when a process still runs after SIGKILL (cluster.json is kept)
   */
  public static Optional<StopReport> stop(Path dir) {
    Optional<ClusterInfo> recorded = read(dir);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    ClusterInfo info = recorded.get();
    List<Optional<ProcessHandle>> handles = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    for (ProcessInfo p : info.processes()) {
      handles.add(Procs.find(p.pid(), p.startInstant()));
      names.add(p.name());
      pids.add(p.pid());
    }
    // Joined TaskManagers on this machine; those on other nodes end with their job steps.
    String here = Procs.hostName();
    for (JoinedTaskManager j : joined(dir)) {
      if (j.node().equals(here)) {
        handles.add(Procs.find(j.pid(), j.startInstant()));
        names.add(j.name());
        pids.add(j.pid());
      }
    }
    List<Procs.Outcome> outcomes;
    try {
      outcomes = Procs.terminate(handles, Duration.ofMillis(info.stopGraceMillis()), KILL_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("Flink cluster in " + dir + ": stop interrupted", e);
    }
    List<StopReport.Stopped> stopped = new ArrayList<>();
    List<String> survivors = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Procs.Outcome o = outcomes.get(i);
      if (o == Procs.Outcome.STILL_RUNNING) {
        survivors.add(names.get(i) + " (pid " + pids.get(i) + ")");
      }
      stopped.add(
          new StopReport.Stopped(
              names.get(i), pids.get(i), o.name().toLowerCase(Locale.ROOT).replace('_', '-')));
    }
    if (!survivors.isEmpty()) {
      throw new FlinkClusterException(
          "Flink cluster in "
              + dir
              + ": still running after SIGKILL: "
              + String.join(", ", survivors));
    }
    deleteClusterFile(dir);
    deleteQuietly(dir.resolve("tmp"));
    deleteQuietly(dir.resolve(JOINED_DIR));
    return Optional.of(new StopReport(info.restAddress(), stopped));
  }

  private static void write(Path file, JoinedTaskManager joined) {
    try {
      Json.writeAtomically(file, joined);
    } catch (IOException e) {
      throw new FlinkClusterException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path dir, ClusterInfo info) {
    try {
      Json.writeAtomically(dir.resolve(CLUSTER_FILE), info);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot write " + CLUSTER_FILE + ": " + e.getMessage(), e);
    }
  }

  private static void deleteClusterFile(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(CLUSTER_FILE));
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster in " + dir + ": cannot remove " + CLUSTER_FILE + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a folder of temporary files; what cannot be deleted is harmless and stays. */
  private static void deleteQuietly(Path root) {
    try {
      deleteRecursively(root);
    } catch (IOException e) {
      // The next start reuses the folder.
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
