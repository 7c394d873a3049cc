package org.jetlag.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.ToString;
import org.apache.beam.sdk.values.PCollection;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.kernels.Block;
import org.jetlag.runner.beam.ChunkCoder;
import org.jetlag.runner.beam.ChunkData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Real session clusters: a JobManager and TaskManager JVMs on 127.0.0.1, started from
 * runners/flink-dist/target/flink-lib, running a Beam pipeline staged as the job jar of
 * runners/beam-job. Both are built before this module (see its pom).
 */
@Tag("flink-cluster")
class FlinkClusterTest {
  static final Path FLINK_LIB = Path.of(required("jetlag.flink.lib"));
  static final Path JOB_JAR = Path.of(required("jetlag.beam.jobJar"));
  static final Path WORK = Path.of("target", "flink-cluster-test").toAbsolutePath();

  private final List<Path> clusters = new ArrayList<>();

  static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set (the module's pom sets it for Surefire)");
    }
    return v;
  }

  /** A fresh cluster folder under target/, stopped after the test whatever happens. */
  Path clusterDir(TestInfo test) throws Exception {
    Path dir = WORK.resolve(test.getTestMethod().orElseThrow().getName());
    FlinkCluster.stop(dir);
    clusters.add(dir);
    return dir;
  }

  static ClusterSpec spec(Path dir, int taskManagers) {
    return ClusterSpec.of(dir, FLINK_LIB)
        .withTaskManagers(taskManagers)
        .withSlots(1)
        .withJobManagerMemory(768L << 20)
        .withStartTimeout(Duration.ofSeconds(60))
        .withStopGracePeriod(Duration.ofSeconds(10));
  }

  @AfterEach
  void stopClusters() {
    for (Path dir : clusters) {
      FlinkCluster.stop(dir);
    }
  }

  @Test
  @Timeout(150)
  void startRunBeamPipelineAndStop(TestInfo test) throws Exception {
    assertThat(JOB_JAR).as("the job jar is built (runners/beam-job)").isRegularFile();
    Path dir = clusterDir(test);

    FlinkCluster cluster = FlinkCluster.start(spec(dir, 1));
    System.out.printf("cluster start to ready: %d ms%n", cluster.startupTime().toMillis());
    assertThat(cluster.restAddress()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(dir.resolve("cluster.json")).isRegularFile();
    ClusterInfo info = FlinkCluster.read(dir).orElseThrow();
    assertThat(info.state()).isEqualTo(ClusterInfo.READY);
    assertThat(info.processes())
        .extracting(ClusterInfo.ProcessInfo::name)
        .containsExactly("jobmanager", "taskmanager-1");
    String conf = Files.readString(dir.resolve("conf/flink-conf.yaml"));
    assertThat(conf)
        .contains("rest.bind-address: 127.0.0.1", "io.tmp.dirs: " + dir.resolve("tmp"))
        .contains("--add-opens=java.base/java.nio=ALL-UNNAMED");

    ClusterStatus status = cluster.status();
    assertThat(status.healthy()).as(status.toString()).isTrue();
    assertThat(status.flinkVersion()).contains("1.19.0");
    FlinkRest.Overview overview = status.overview().orElseThrow();
    assertThat(overview.taskManagers()).isEqualTo(1);
    assertThat(overview.slotsTotal()).isEqualTo(1);
    assertThat(overview.slotsAvailable()).isEqualTo(1);
    assertThat(overview.jobsRunning()).isZero();
    System.out.printf("RSS of JM+TM after start: %d MiB%n", rssMiB(info));

    Path out = dir.resolve("out");
    long t0 = System.nanoTime();
    PipelineResult.State state = runSumAndCount(cluster.restAddress(), out);
    long submitMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("trivial Beam job, submit to result: %d ms%n", submitMillis);
    assertThat(state).isEqualTo(PipelineResult.State.DONE);
    assertThat(Files.readString(out.resolve("sum.txt"), StandardCharsets.UTF_8).strip())
        .isEqualTo("5050");
    assertThat(Files.readString(out.resolve("count.txt"), StandardCharsets.UTF_8).strip())
        .isEqualTo("100");
    assertThat(Files.readString(out.resolve("chunks.txt"), StandardCharsets.UTF_8).strip())
        .isEqualTo("3");
    System.out.printf("RSS of JM+TM after the job: %d MiB%n", rssMiB(info));

    FlinkRest rest = new FlinkRest();
    List<FlinkRest.JobSummary> jobs = rest.jobs(cluster.restAddress());
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).state()).isEqualTo("FINISHED");
    String details = rest.jobDetails(cluster.restAddress(), jobs.get(0).id());
    assertThat(details).contains("\"vertices\"", "\"write-records\"", "\"duration\"");
    String unknown = "0123456789abcdef0123456789abcdef";
    assertThatThrownBy(() -> rest.cancel(cluster.restAddress(), unknown))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessageStartingWith(
            "Flink cluster at "
                + cluster.restAddress()
                + ": PATCH /jobs/"
                + unknown
                + "?mode=cancel answered 404");
    assertThatThrownBy(() -> rest.jobDetails(cluster.restAddress(), unknown))
        .hasMessageContaining("answered 404");

    long s0 = System.nanoTime();
    FlinkCluster.StopReport report = FlinkCluster.stop(dir).orElseThrow();
    System.out.printf("stop: %d ms%n", (System.nanoTime() - s0) / 1_000_000);
    assertThat(report.processes())
        .extracting(FlinkCluster.StopReport.Stopped::outcome)
        .containsOnly("terminated");
    assertNothingLeft(dir, info);
    assertThat(dir.resolve("log/jobmanager.log"))
        .as("the log keeps what was written before SIGTERM")
        .content()
        .contains("StandaloneSessionClusterEntrypoint");
  }

  @Test
  @Timeout(120)
  void deadTaskManagerIsReportedAndStopCleansUpAfterJobManagerCrash(TestInfo test)
      throws Exception {
    Path dir = clusterDir(test);
    FlinkCluster cluster = FlinkCluster.start(spec(dir, 2));
    ClusterInfo info = cluster.info();
    assertThat(cluster.status().overview().orElseThrow().taskManagers()).isEqualTo(2);

    // A TaskManager dies while idle: status names it at once.
    kill(info, "taskmanager-1");
    ClusterStatus status = cluster.status();
    assertThat(status.healthy()).isFalse();
    assertThat(status.deadProcesses())
        .extracting(ClusterStatus.ProcessState::name)
        .containsExactly("taskmanager-1");
    assertThat(status.overview()).as("the JobManager still answers").isPresent();

    // Then the JobManager crashes: REST is gone, the other TaskManager still runs.
    kill(info, "jobmanager");
    status = cluster.status();
    assertThat(status.deadProcesses())
        .extracting(ClusterStatus.ProcessState::name)
        .containsExactly("jobmanager", "taskmanager-1");
    assertThat(status.overview()).isEmpty();
    assertThat(status.restError().orElseThrow())
        .contains("Flink cluster at " + cluster.restAddress() + " is not reachable");

    FlinkCluster.StopReport report = FlinkCluster.stop(dir).orElseThrow();
    assertThat(report.processes())
        .extracting(FlinkCluster.StopReport.Stopped::outcome)
        .containsExactly("not-running", "not-running", "terminated");
    assertNothingLeft(dir, info);
    assertThat(FlinkCluster.status(dir)).isEmpty();
    assertThat(FlinkCluster.stop(dir)).isEmpty();
  }

  @Test
  void startWithoutFlinkLibSaysWhatToBuild(TestInfo test) throws Exception {
    Path dir = clusterDir(test);
    Path missing = dir.resolve("no-such-flink-lib");
    assertThatThrownBy(() -> FlinkCluster.start(ClusterSpec.of(dir, missing)))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessageContaining("Flink cluster classpath not found: " + missing)
        .hasMessageContaining("mvn -pl runners/flink-dist package")
        .hasMessageContaining("JETLAG_FLINK_LIB");
    assertThat(dir.resolve("cluster.json")).doesNotExist();
  }

  @Test
  @Timeout(90)
  void processDyingDuringStartFailsFastWithItsLog(TestInfo test) throws Exception {
    Path dir = clusterDir(test);
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      // The REST port is taken: the JobManager exits; start retries once, then reports it.
      ClusterSpec spec = spec(dir, 1).withConfig("rest.port", Integer.toString(port));
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> FlinkCluster.start(spec))
          .isInstanceOf(FlinkClusterException.class)
          .hasMessageContaining("Flink cluster in " + dir + ": jobmanager (pid ")
          .hasMessageContaining("exited with status")
          .hasMessageContaining("--- last lines of " + dir.resolve("log/jobmanager.log"))
          .hasMessageContaining("java.net.BindException");
      System.out.printf(
          "start with a taken REST port failed after %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
    }
    assertThat(dir.resolve("cluster.json")).doesNotExist();
    assertThat(dir.resolve("log.previous/jobmanager.log")).as("the first attempt's log").exists();
    assertThat(dir.resolve("tmp")).as("no rpc jars left behind").doesNotExist();
    assertThat(
            ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(dir.toString()))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .toList())
        .as("no process runs from " + dir)
        .isEmpty();
  }

  @Test
  @Timeout(60)
  void prepareGivesCommandLinesForOtherNodes(TestInfo test) throws Exception {
    Path dir = clusterDir(test);
    LaunchPlan plan = FlinkCluster.prepare(spec(dir, 2));
    assertThat(plan.jobManagerCommand())
        .contains(LaunchPlan.JOB_MANAGER_CLASS, "--configDir", plan.spec().flinkLib() + "/*")
        .anyMatch(a -> a.startsWith("-Xmx"))
        .contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
    List<String> tm2 = plan.taskManagerCommand(2, "node7");
    assertThat(tm2)
        .contains(LaunchPlan.TASK_MANAGER_CLASS, "-Dtaskmanager.host=node7")
        .contains("-Dtaskmanager.rpc.port=" + plan.taskManagerPorts().get(1).rpc())
        .anyMatch(a -> a.startsWith("taskmanager.cpu.cores="));
    assertThat(plan.taskManagerCommand(1)).noneMatch(a -> a.startsWith("-Dtaskmanager.host="));
    assertThat(dir.resolve("cluster.json")).as("prepare starts nothing").doesNotExist();
  }

  private static PipelineResult.State runSumAndCount(String master, Path out) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster(master);
    options.setFilesToStage(List.of(JOB_JAR.toString()));
    options.setParallelism(1);
    options.setJobName("jetlag-cluster-test");
    Pipeline p = Pipeline.create(options);
    PCollection<Integer> numbers =
        p.apply("numbers", Create.of(IntStream.rangeClosed(1, 100).boxed().toList()));
    numbers
        .apply("sum", Sum.integersGlobally())
        .apply("sum/text", ToString.elements())
        .apply("sum/write", TextIO.write().to(out.resolve("sum.txt").toString()).withoutSharding());
    // Chunks in JetLag's own coder: the TaskManager decodes them with classes of the job jar.
    List<ChunkData> chunks =
        IntStream.range(0, 3)
            .mapToObj(
                i -> ChunkData.of(Block.ofDoubles(DType.FLOAT64, i, i + 0.5), Shape.of(2), 2L * i))
            .toList();
    p.apply("chunks", Create.of(chunks).withCoder(ChunkCoder.of()))
        .apply("chunks/count", Count.globally())
        .apply("chunks/text", ToString.elements())
        .apply(
            "chunks/write",
            TextIO.write().to(out.resolve("chunks.txt").toString()).withoutSharding());
    numbers
        .apply("count", Count.globally())
        .apply("count/text", ToString.elements())
        .apply(
            "count/write",
            TextIO.write().to(out.resolve("count.txt").toString()).withoutSharding());
    return p.run().waitUntilFinish(org.joda.time.Duration.standardSeconds(90));
  }

  private static void kill(ClusterInfo info, String name) throws Exception {
    ClusterInfo.ProcessInfo p =
        info.processes().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    ProcessHandle h = ProcessHandle.of(p.pid()).orElseThrow();
    h.destroyForcibly();
    h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static void assertNothingLeft(Path dir, ClusterInfo info) {
    for (ClusterInfo.ProcessInfo p : info.processes()) {
      assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive))
          .as(p.name() + " (pid " + p.pid() + ") is gone")
          .isEmpty();
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(dir.toString()))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .toList())
        .as("no process runs from " + dir)
        .isEmpty();
    assertThat(dir.resolve("cluster.json")).doesNotExist();
    assertThat(dir.resolve("tmp")).doesNotExist();
  }

  /** The resident memory of the cluster's processes, from /proc (Linux). */
  @Test
  @Timeout(150)
  void aTaskManagerJoinsFromAnotherAddressIsAwaitedAndStoppedWithTheCluster(TestInfo test)
      throws Exception {
    Path dir = clusterDir(test);
    FlinkCluster cluster = FlinkCluster.start(spec(dir, 1));
    assertThatThrownBy(() -> FlinkCluster.awaitTaskManagers(dir, 2, Duration.ofSeconds(2)))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessageContaining("1 of 2 TaskManagers registered within 2 s")
        .hasMessageContaining("joined TaskManagers recorded: none");
    assertThatThrownBy(() -> FlinkCluster.taskManagerCommand(dir, "127.0.0.2", "../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name: expected");
    assertThatThrownBy(() -> FlinkCluster.taskManagerCommand(dir, "127.0.0.2", "taskmanager-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is taken");

    // The same memory flags as the cluster's own TaskManager; its own ports, address and log.
    List<String> cmd = FlinkCluster.taskManagerCommand(dir, "127.0.0.2", "taskmanager-b");
    List<String> own =
        List.of(
            Files.readString(
                    Path.of(
                        "/proc", Long.toString(cluster.info().processes().get(1).pid()), "cmdline"))
                .split("\0"));
    assertThat(cmd).contains(LaunchPlan.TASK_MANAGER_CLASS, "-Dtaskmanager.host=127.0.0.2");
    assertThat(cmd).contains("-Dlog.file=" + dir.resolve("log/taskmanager-b.log"));
    assertThat(cmd.stream().filter(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxDirect")))
        .isNotEmpty()
        .allMatch(own::contains);

    ExecutorService exec = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> joined =
          exec.submit(() -> FlinkCluster.runTaskManager(dir, "127.0.0.2", "taskmanager-b"));
      FlinkCluster.Registration r = FlinkCluster.awaitTaskManagers(dir, 2, Duration.ofSeconds(60));
      System.out.printf("second TaskManager registered after %d ms%n", r.waited().toMillis());
      assertThat(r.taskManagers()).hasSize(2);
      assertThat(r.slots()).isEqualTo(2);
      assertThat(r.taskManagers()).anyMatch(t -> t.path().contains("@127.0.0.2:"));
      assertThat(FlinkCluster.joined(dir))
          .singleElement()
          .satisfies(j -> assertThat(j.host()).isEqualTo("127.0.0.2"));
      long pid = FlinkCluster.joined(dir).get(0).pid();

      FlinkCluster.StopReport report = FlinkCluster.stop(dir).orElseThrow();
      assertThat(report.processes())
          .extracting(FlinkCluster.StopReport.Stopped::name)
          .containsExactly("jobmanager", "taskmanager-1", "taskmanager-b");
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      // runTaskManager returns once its TaskManager has ended.
      assertThat(joined.get(20, TimeUnit.SECONDS)).isNotNull();
      assertThat(dir.resolve(FlinkCluster.JOINED_DIR)).doesNotExist();
    } finally {
      exec.shutdownNow();
    }
  }

  private static long rssMiB(ClusterInfo info) throws Exception {
    long kib = 0;
    for (ClusterInfo.ProcessInfo p : info.processes()) {
      Path statusFile = Path.of("/proc", Long.toString(p.pid()), "status");
      if (!Files.isReadable(statusFile)) {
        continue;
      }
      for (String line : Files.readAllLines(statusFile)) {
        if (line.startsWith("VmRSS:")) {
          kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    }
    return kib / 1024;
  }
}
