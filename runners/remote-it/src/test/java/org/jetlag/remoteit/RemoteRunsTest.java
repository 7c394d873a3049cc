package org.jetlag.remoteit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.DType;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Shape;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import org.jetlag.remote.JobService;
import org.jetlag.remote.RemoteJob;
import org.jetlag.remote.RemoteJobs;
import org.jetlag.remote.RetryPolicy;
import org.jetlag.remote.RunSettings;
import org.jetlag.remote.Submission;
import org.jetlag.remote.TapisClient;
import org.jetlag.remote.TapisException;
import org.jetlag.remote.TapisToken;
import org.jetlag.remote.Target;
import org.jetlag.remote.TokenStore;
import org.jetlag.testsupport.slurm.SlurmTestbed;
import org.jetlag.testsupport.tapis.TapisEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Remote runs end to end: the built {@code jetlag} command and the {@code org.jetlag.remote} API
 * against the Tapis v3 EMULATOR, which drives a real Slurm 22.05 (slurmctld, slurmd, slurmdbd on
 * MariaDB, munge) over a real sshd on 127.0.0.1 (scripts/testbed).
 */
@Tag("slurm")
@ExtendWith(SlurmTestbed.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRunsTest {
  private static final String SYSTEM = "hpc";
  private static final String PASSWORD = "wonderland";

  SlurmTestbed.Env tb;
  TapisEmulator emu;
  Path repo;
  Path hpc;
  Path runtime;
  Path staging;
  Path cfg;
  Path work;
  Cli cli;
  String version;

  @BeforeAll
  void setUp(SlurmTestbed.Env env) throws IOException {
    tb = env;
    repo = env.repo();
    hpc = env.runDir().resolve("hpc");
    runtime = hpc.resolve("opt/jetlag");
    staging = hpc.resolve("staging");
    work = Path.of("target", "remote-it").toAbsolutePath();
    deleteTree(work);
    deleteTree(hpc); // jobs and archives of earlier runs
    Files.createDirectories(work);
    Files.createDirectories(hpc.resolve("work"));
    cfg = work.resolve("config");
    String install =
        env.run(repo.resolve("scripts/install-runtime.sh").toString(), runtime.toString());
    assertThat(install).contains("JetLag");
    version = Files.readString(runtime.resolve("VERSION")).strip();

    emu =
        TapisEmulator.start(
            new TapisEmulator.Config(
                env.javaKey(),
                env.hostPublicKey(),
                Duration.ofHours(1),
                Duration.ofMillis(200),
                Duration.ofMillis(800)));
    emu.addUser("alice", PASSWORD);
    // The center's side: the execution system (Tapis admins create it; here through the API).
    TapisClient admin =
        client(
            TapisClient.login(
                emu.baseUrl(), "alice", PASSWORD.toCharArray(), RetryPolicy.defaults()));
    admin.createSystem(systemJson());

    cli =
        new Cli(
            repo, Map.of("JETLAG_CONFIG_DIR", cfg.toString(), "JETLAG_TAPIS_PASSWORD", PASSWORD));
    Cli.Result login =
        cli.run("remote", "login", "--tapis", emu.baseUrl().toString(), "--user", "alice");
    assertThat(login.code()).as(login.all()).isZero();
    assertThat(login.out()).contains("logged in");
    assertThat(Files.getPosixFilePermissions(cfg.resolve("tapis-token.json")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(cfg.resolve("tapis-token.json"))).doesNotContain(PASSWORD);

    Cli.Result setup =
        cli.run(
            "remote",
            "setup",
            "--system",
            SYSTEM,
            "--register-app",
            "--runtime",
            runtime.toString(),
            "--staging",
            staging.toString());
    assertThat(setup.code()).as(setup.all()).isZero();
    assertThat(setup.out()).contains("runtime: ok").contains("ready");
  }

  @AfterAll
  void tearDown() {
    if (emu != null) {
      emu.close();
    }
    if (tb != null) {
      String left = tb.run("squeue", "-h", "-o", "%i");
      if (!left.isBlank()) {
        tb.run("scancel", left.strip().split("\\s+")[0]);
      }
    }
  }

  private ObjectNode systemJson() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode s = m.createObjectNode();
    s.put("id", SYSTEM);
    s.put("description", "Slurm 22.05 on 127.0.0.1 (JetLag testbed)");
    s.put("systemType", "LINUX");
    s.put("host", "127.0.0.1");
    s.put("port", tb.sshPort());
    s.put("effectiveUserId", tb.sshUser());
    s.put("defaultAuthnMethod", "PKI_KEYS");
    s.put("rootDir", hpc.toString());
    s.put("canExec", true);
    s.putArray("jobRuntimes").addObject().put("runtimeType", "ZIP");
    s.put("jobWorkingDir", hpc.resolve("work").toString());
    s.put("canRunBatch", true);
    s.put("batchScheduler", "SLURM");
    s.putArray("batchLogicalQueues")
        .addObject()
        .put("name", "debug")
        .put("hpcQueueName", "debug")
        .put("maxNodeCount", tb.nodes())
        .put("maxCoresPerNode", tb.cpusPerNode())
        .put("maxMemoryMB", 4000)
        .put("maxMinutes", 60);
    s.put("batchDefaultLogicalQueue", "debug");
    return s;
  }

  private TapisClient client(TapisToken t) {
    return TapisClient.create(emu.baseUrl(), t::accessToken, RetryPolicy.defaults());
  }

  /** Alice's client, as the command line makes it (token store in cfg). */
  private TapisClient alice(RetryPolicy retry) {
    return TapisClient.create(
        emu.baseUrl(),
        TokenStore.at(cfg.resolve("tapis-token.json")).tokenSource(Clock.systemUTC(), retry),
        retry);
  }

  private Submission submission(Path graph, Map<String, Path> inputs, int cores, String app) {
    return new Submission(
        graph,
        inputs,
        RunSettings.defaults(),
        new Target.Tapis(SYSTEM),
        app,
        version,
        Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.of(cores),
        OptionalInt.of(5),
        version);
  }

  private Map<String, Path> lrInputs() {
    Path ex = repo.resolve("examples/logistic-regression");
    Map<String, Path> in = new LinkedHashMap<>();
    in.put("X", ex.resolve("X.npy"));
    in.put("y", ex.resolve("y.npy"));
    return in;
  }

  private Map<String, Path> linInputs() {
    Path ex = repo.resolve("examples/linear-regression");
    Map<String, Path> in = new LinkedHashMap<>();
    in.put("X", ex.resolve("X.npy"));
    in.put("y", ex.resolve("y.npy"));
    return in;
  }

  private static String uuidOf(Cli.Result r) {
    return r.out().lines().findFirst().orElseThrow().strip();
  }

  // ---- end to end ----------------------------------------------------------------------------

  @Test
  void submitWaitFetch_givesTheLocalRunnersNumbersAndATraceThatOpens() throws IOException {
    Path graph = repo.resolve("examples/logistic-regression/graph.json");
    Instant t0 = Instant.now();
    Cli.Result sub =
        cli.run(
            "submit",
            graph.toString(),
            "--target",
            "tapis:" + SYSTEM,
            "--cores",
            "2",
            "--minutes",
            "5",
            "--wait");
    Duration submitToResult = Duration.between(t0, Instant.now());
    assertThat(sub.code()).as(sub.all()).isZero();
    String uuid = uuidOf(sub);
    // The live line shows the states a poll saw (short ones may pass between polls);
    // the history below has every one.
    assertThat(sub.err()).contains("finished (NORMAL_COMPLETION)");
    assertThat(sub.out()).contains("FINISHED in");

    Path remote = work.resolve("e2e-remote");
    Instant f0 = Instant.now();
    Cli.Result fetch = cli.run("job", uuid, "fetch", "--to", remote.toString());
    Duration fetchTime = Duration.between(f0, Instant.now());
    assertThat(fetch.code()).as(fetch.all()).isZero();
    assertThat(fetch.out()).contains("jetlag report");

    Path local = work.resolve("e2e-local");
    Cli.Result run =
        cli.run("run", graph.toString(), "--output", local.toString(), "--threads", "2", "--quiet");
    assertThat(run.code()).as(run.all()).isZero();
    for (String out : List.of("w", "b", "loss", "accuracy")) {
      assertThat(values(remote.resolve(out + ".arrow")))
          .as("output %s", out)
          .containsExactly(values(local.resolve(out + ".arrow")));
    }
    // The staged bundle is removed once the job has checked its own copy.
    Path staged = stagedFolder(emu.execDir(uuid));
    assertThat(staged).doesNotExist();
    assertThat(Files.readString(remote.resolve("jetlag.log")))
        .contains("removed the staged bundle " + staged);
    Cli.Result report = cli.run("report", remote.resolve("trace.json").toString());
    assertThat(report.code()).as(report.all()).isZero();
    assertThat(report.out()).contains("train");

    Cli.Result hist = cli.run("job", uuid, "history");
    assertThat(hist.out())
        .containsSubsequence(
            "PENDING",
            "PROCESSING_INPUTS",
            "STAGING_INPUTS",
            "STAGING_JOB",
            "SUBMITTING_JOB",
            "QUEUED",
            "RUNNING",
            "ARCHIVING",
            "FINISHED");
    hist.out().lines().forEach(l -> System.out.println("HISTORY " + l));
    Cli.Result jobs = cli.run("jobs");
    assertThat(jobs.out()).contains(uuid).contains("FINISHED");
    Cli.Result status = cli.run("job", uuid, "status");
    assertThat(status.out()).contains("FINISHED (NORMAL_COMPLETION)").contains("Slurm job");
    System.out.printf(
        "MEASURED e2e logistic-regression: submit-to-result %.1f s (CLI, incl. JVM start); %s; fetch %.1f s%n",
        submitToResult.toMillis() / 1e3,
        sub.out()
            .lines()
            .filter(l -> l.contains("FINISHED in"))
            .findFirst()
            .orElse("")
            .replaceAll("^\\S+ ", ""),
        fetchTime.toMillis() / 1e3);
  }

  @Test
  void withRunnerFlinkTheJobStartsAFlinkClusterInTheAllocationAndStopsIt() throws IOException {
    Path graph = repo.resolve("examples/linear-regression/graph.json");
    Instant t0 = Instant.now();
    Cli.Result sub =
        cli.run(
            420,
            "submit",
            graph.toString(),
            "--target",
            "tapis:" + SYSTEM,
            "--runner",
            "flink",
            "--cores",
            "2",
            "--minutes",
            "10",
            "--wait");
    Duration submitToResult = Duration.between(t0, Instant.now());
    assertThat(sub.code()).as(sub.all()).isZero();
    String uuid = uuidOf(sub);
    assertThat(sub.out()).contains("FINISHED in");
    String execDir = emu.execDir(uuid);
    assertThat(execDir).isNotEmpty();

    Path remote = work.resolve("flink-remote");
    Cli.Result fetch = cli.run("job", uuid, "fetch", "--to", remote.toString());
    assertThat(fetch.code()).as(fetch.all()).isZero();
    String log = Files.readString(remote.resolve("jetlag.log"));
    assertThat(log)
        .contains("cluster start --dir")
        .contains("Flink cluster started in")
        .contains("--runner flink")
        .contains("--flink-master 127.0.0.1:")
        .contains("Flink cluster stopped in");

    Path local = work.resolve("flink-local");
    Cli.Result run =
        cli.run("run", graph.toString(), "--output", local.toString(), "--threads", "2", "--quiet");
    assertThat(run.code()).as(run.all()).isZero();
    for (String out : List.of("coef", "residual_norm")) {
      assertThat(values(remote.resolve(out + ".arrow")))
          .as("output %s", out)
          .containsExactly(values(local.resolve(out + ".arrow")));
    }
    Trace trace = TraceJson.read(remote.resolve("trace.json"));
    assertThat(trace.info().runner()).startsWith("flink@127.0.0.1:");
    assertThat(trace.spans()).extracting(Span::worker).anyMatch(w -> w.startsWith("taskmanager "));
    JsonNode jobs =
        new ObjectMapper().readTree(remote.resolve("trace.json.flink-jobs.json").toFile());
    assertThat(jobs.size()).as("Flink's per-job details came back").isPositive();
    assertThat(jobs.get(0).path("state").asText()).isEqualTo("FINISHED");
    try (Stream<Path> logs = Files.list(remote.resolve("flink-logs"))) {
      assertThat(logs.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.contains("jobmanager") || n.contains("standalonesession"))
          .anyMatch(n -> n.contains("taskmanager") || n.contains("taskexecutor"));
    }
    // No Flink JVM of this job is left (the cluster's folder is inside the job's exec folder).
    waitFor(
        () ->
            processesMentioning(execDir).stream()
                .noneMatch(
                    p ->
                        p.contains("StandaloneSessionClusterEntrypoint")
                            || p.contains("TaskManagerRunner")),
        20);
    assertThat(processesMentioning(execDir)).isEmpty();

    Matcher m = Pattern.compile("Flink cluster started in (\\d+) ms").matcher(log);
    assertThat(m.find()).isTrue();
    Matcher s = Pattern.compile("Flink cluster stopped in (\\d+) ms").matcher(log);
    assertThat(s.find()).isTrue();
    Matcher r = Pattern.compile("run ended with status 0 after (\\d+) ms").matcher(log);
    assertThat(r.find()).isTrue();
    System.out.printf(
        "MEASURED e2e linear-regression --runner flink: submit-to-result %.1f s (CLI, incl. JVM"
            + " start); %s; inside the job: cluster start %.1f s, run %.1f s, cluster stop %.1f s%n",
        submitToResult.toMillis() / 1e3,
        sub.out()
            .lines()
            .filter(l -> l.contains("FINISHED in"))
            .findFirst()
            .orElse("")
            .replaceAll("^\\S+ ", ""),
        Long.parseLong(m.group(1)) / 1e3,
        Long.parseLong(r.group(1)) / 1e3,
        Long.parseLong(s.group(1)) / 1e3);
  }

  @Test
  void theTestbedHasTwoNodesAndAStepRunsOnEach() {
    assertThat(tb.nodes()).isEqualTo(2);
    assertThat(tb.run("sinfo", "-h", "-N", "-o", "%N %c").lines())
        .containsExactly("node1 " + tb.cpusPerNode(), "node2 " + tb.cpusPerNode());
    String ran = tb.run("srun", "-I30", "-N2", "-n2", "bash", "-c", "echo $SLURMD_NODENAME");
    assertThat(ran.lines().sorted()).containsExactly("node1", "node2");
  }

  @Test
  void withRunnerFlinkOnTwoNodesATaskManagerOnTheSecondNodeRegistersAndWorks() throws IOException {
    Path graph = repo.resolve("examples/linear-regression/graph.json");
    Instant t0 = Instant.now();
    Cli.Result sub =
        cli.run(
            420,
            "submit",
            graph.toString(),
            "--target",
            "tapis:" + SYSTEM,
            "--runner",
            "flink",
            "--chunk-size",
            "1024",
            "--nodes",
            "2",
            "--cores",
            "2",
            "--minutes",
            "10",
            "--wait");
    Duration submitToResult = Duration.between(t0, Instant.now());
    assertThat(sub.code()).as(sub.all()).isZero();
    String uuid = uuidOf(sub);
    String execDir = emu.execDir(uuid);
    Path remote = work.resolve("flink2-remote");
    Cli.Result fetch = cli.run("job", uuid, "fetch", "--to", remote.toString());
    assertThat(fetch.code()).as(fetch.all()).isZero();
    String log = Files.readString(remote.resolve("jetlag.log"));
    assertThat(log)
        .contains("2 node(s): node1 node2")
        .contains("srun --overlap -N1 -n1 -w node2 jetlag cluster taskmanager")
        .contains("--host 127.0.0.2 --name taskmanager-node2")
        .contains("2 TaskManagers registered (4 slots on 2 nodes)")
        .contains("--flink-master 127.0.0.1:")
        .contains("--threads 4")
        .contains("Flink cluster stopped in");
    JsonNode status = new ObjectMapper().readTree(remote.resolve("status.json").toFile());
    assertThat(status.path("taskManagers").asInt()).isEqualTo(2);
    assertThat(status.path("nodes").asText()).isEqualTo("node[1-2]");
    assertThat(status.path("exitCode").asInt()).isZero();

    Path local = work.resolve("flink2-local");
    Cli.Result run =
        cli.run(
            "run",
            graph.toString(),
            "--output",
            local.toString(),
            "--threads",
            "2",
            "--chunk-size",
            "1024",
            "--quiet");
    assertThat(run.code()).as(run.all()).isZero();
    for (String out : List.of("coef", "residual_norm")) {
      assertThat(values(remote.resolve(out + ".arrow")))
          .as("output %s", out)
          .containsExactly(values(local.resolve(out + ".arrow")));
    }
    // The second node's TaskManager did work: Flink deployed tasks to it, and the trace has
    // spans from two TaskManager processes (1 KiB chunks: X comes in 16, spread over 4 slots).
    String tm2 = Files.readString(remote.resolve("flink-logs/taskmanager-node2.log"));
    assertThat(tm2).contains("Received task");
    Trace trace = TraceJson.read(remote.resolve("trace.json"));
    assertThat(
            trace.spans().stream()
                .map(Span::worker)
                .filter(w -> w.startsWith("taskmanager "))
                .distinct()
                .count())
        .as("TaskManager lanes in the trace")
        .isGreaterThanOrEqualTo(2);
    JsonNode jobs =
        new ObjectMapper().readTree(remote.resolve("trace.json.flink-jobs.json").toFile());
    assertThat(jobs.get(0).path("state").asText()).isEqualTo("FINISHED");
    int maxParallelism = 0;
    for (JsonNode j : jobs) {
      for (JsonNode v : j.path("vertices")) {
        maxParallelism = Math.max(maxParallelism, v.path("parallelism").asInt());
      }
    }
    assertThat(maxParallelism).as("parallelism above one node's 2 slots").isEqualTo(4);
    waitFor(() -> processesMentioning(execDir).isEmpty(), 20);

    Matcher m = Pattern.compile("Flink cluster started in (\\d+) ms").matcher(log);
    assertThat(m.find()).isTrue();
    Matcher reg =
        Pattern.compile("TaskManagers registered \\(4 slots on 2 nodes\\) (\\d+) ms").matcher(log);
    assertThat(reg.find()).isTrue();
    Matcher r = Pattern.compile("run ended with status 0 after (\\d+) ms").matcher(log);
    assertThat(r.find()).isTrue();
    System.out.printf(
        "MEASURED e2e linear-regression --runner flink --nodes 2: submit-to-result %.1f s (CLI,"
            + " incl. JVM start); inside the job: cluster start (first node) %.1f s, second"
            + " TaskManager registered %.1f s later, run %.1f s%n",
        submitToResult.toMillis() / 1e3,
        Long.parseLong(m.group(1)) / 1e3,
        Long.parseLong(reg.group(1)) / 1e3,
        Long.parseLong(r.group(1)) / 1e3);
  }

  @Test
  void aTaskManagerThatDoesNotRegisterInTimeFailsTheJobInPhaseCluster() throws IOException {
    // The same app, but the further TaskManagers get 1 s to register: they need several.
    TapisClient c = alice(RetryPolicy.defaults());
    ObjectNode app = new ObjectMapper().createObjectNode();
    app.put("id", "jetlag-tm-deadline").put("version", version).put("runtime", "ZIP");
    app.put("containerImage", staging.resolve("apps/jetlag-zip-" + version + ".zip").toString());
    var env = app.putObject("jobAttributes").putObject("parameterSet").putArray("envVariables");
    env.addObject().put("key", "JETLAG_RUNTIME").put("value", runtime.toString());
    env.addObject().put("key", "JETLAG_STAGING").put("value", staging.toString());
    env.addObject().put("key", "JETLAG_FLINK_TM_TIMEOUT").put("value", "1");
    c.createApp(app);
    RemoteJob job =
        RemoteJobs.submit(
            c,
            new Submission(
                repo.resolve("examples/linear-regression/graph.json"),
                linInputs(),
                RunSettings.defaults().withRunner("flink"),
                new Target.Tapis(SYSTEM),
                "jetlag-tm-deadline",
                version,
                Optional.empty(),
                OptionalInt.of(2),
                OptionalInt.of(2),
                OptionalInt.of(10),
                version),
            work);
    RemoteJob end = follow(c, job.uuid(), new ArrayList<>(), new LinkedHashMap<>());
    assertThat(end.status()).isEqualTo("FAILED");
    String execDir = emu.execDir(job.uuid());
    Path out = Path.of(execDir, "output");
    String log = Files.readString(out.resolve("jetlag.log"));
    assertThat(log)
        .contains("the TaskManagers on the further nodes did not all register")
        .contains("of 2 TaskManagers registered within 1 s")
        .contains("exit 70 (cluster)")
        .doesNotContain("running: jetlag run");
    JsonNode status = new ObjectMapper().readTree(out.resolve("status.json").toFile());
    assertThat(status.path("phase").asText()).isEqualTo("cluster");
    assertThat(status.path("exitCode").asInt()).isEqualTo(70);
    waitFor(() -> processesMentioning(execDir).isEmpty(), 30);
  }

  @Test
  void cancelWhileRunningOnTwoNodesLeavesNoFlinkProcessOnAnyNode() throws IOException {
    Path slow = work.resolve("slow-flink2/graph.json");
    Files.createDirectories(slow.getParent());
    String g = Files.readString(repo.resolve("examples/logistic-regression/graph.json"));
    Files.writeString(slow, g.replace("\"count\": 200}", "\"count\": 2000000}"));
    TapisClient c = alice(RetryPolicy.defaults());
    RemoteJob job =
        RemoteJobs.submit(
            c,
            new Submission(
                slow,
                lrInputs(),
                RunSettings.defaults().withRunner("flink"),
                new Target.Tapis(SYSTEM),
                "jetlag-zip",
                version,
                Optional.empty(),
                OptionalInt.of(2),
                OptionalInt.of(2),
                OptionalInt.of(10),
                version),
            work);
    waitFor(() -> !emu.execDir(job.uuid()).isEmpty(), 30);
    String execDir = emu.execDir(job.uuid());
    // The run has started on the 2-node cluster: the second node's TaskManager and the run's JVM.
    waitFor(
        () ->
            processesMentioning(execDir).stream()
                    .anyMatch(
                        p -> p.contains("TaskManagerRunner") && p.contains("taskmanager-node2"))
                && !processesMentioning(execDir + "/jetlag-work/graph.json").isEmpty(),
        150);
    waitFor(() -> "RUNNING".equals(c.status(job.uuid()).status()), 10);
    Instant t0 = Instant.now();
    c.cancel(job.uuid());
    RemoteJob end = follow(c, job.uuid(), new ArrayList<>(), new LinkedHashMap<>());
    assertThat(end.status()).isEqualTo("CANCELLED");
    // No JobManager, TaskManager (either node), srun step or jetlag JVM of this job is left.
    waitFor(() -> processesMentioning(execDir).isEmpty(), 40);
    String slurmId = emu.remoteJobId(job.uuid());
    waitFor(() -> tb.run("squeue", "-h", "-s", "-j", slurmId).isBlank(), 20);
    System.out.printf(
        "MEASURED cancel of a running 2-node Flink job to no process left: %.1f s%n",
        Duration.between(t0, Instant.now()).toMillis() / 1e3);
  }

  @Test
  void aJobWaitsInTheQueueBehindAnotherAndThenRuns() throws IOException {
    // Someone else's job holds every core of every node for 6 s.
    String blocker = blockEveryNode(6);
    TapisClient c = alice(RetryPolicy.defaults());
    RemoteJob job =
        RemoteJobs.submit(
            c,
            submission(
                repo.resolve("examples/logistic-regression/graph.json"),
                lrInputs(),
                2,
                "jetlag-zip"),
            work);
    List<String> seen = new CopyOnWriteArrayList<>();
    Map<String, Instant> at = new LinkedHashMap<>();
    RemoteJob end = follow(c, job.uuid(), seen, at);
    assertThat(end.status()).isEqualTo("FINISHED");
    assertThat(seen).containsSubsequence("QUEUED", "RUNNING", "FINISHED");
    Duration queued = Duration.between(at.get("QUEUED"), at.get("RUNNING"));
    assertThat(queued).isGreaterThan(Duration.ofSeconds(2));
    assertThat(tb.run("sacct", "-n", "-X", "-P", "-o", "State", "-j", blocker))
        .contains("COMPLETED");
    System.out.printf("MEASURED queue wait behind a 6 s job: %.1f s%n", queued.toMillis() / 1e3);
  }

  @Test
  void aFailingRunEndsFailedAndShowsTheRemoteLog() throws IOException {
    Path bad = work.resolve("bad/X.npy");
    Files.createDirectories(bad.getParent());
    try (BufferAllocator a = Allocators.root(1 << 20);
        NdArray x = NdArray.fromDoubles(a, DType.FLOAT64, Shape.of(4, 3), new double[12])) {
      NpyFiles.write(x, bad);
    }
    Path graph = repo.resolve("examples/logistic-regression/graph.json");
    Cli.Result sub =
        cli.run(
            "submit",
            graph.toString(),
            "--target",
            "tapis:" + SYSTEM,
            "--input",
            "X=" + bad,
            "--wait");
    assertThat(sub.code()).as(sub.all()).isEqualTo(4);
    assertThat(sub.out()).contains("FAILED (JOB_REMOTE_OUTCOME_ERROR)");
    assertThat(sub.err()).contains("remote log").contains("run ended with status 4");
    Cli.Result status = cli.run("job", uuidOf(sub), "status");
    assertThat(status.out()).contains("FAILED");
    assertThat(stagedFolder(emu.execDir(uuidOf(sub)))).doesNotExist();
  }

  @Test
  void cancelWhileQueued() throws IOException {
    String blocker = blockEveryNode(30);
    try {
      TapisClient c = alice(RetryPolicy.defaults());
      RemoteJob job =
          RemoteJobs.submit(
              c,
              submission(
                  repo.resolve("examples/logistic-regression/graph.json"),
                  lrInputs(),
                  2,
                  "jetlag-zip"),
              work);
      waitFor(
          () ->
              "QUEUED".equals(c.status(job.uuid()).status())
                  && !emu.remoteJobId(job.uuid()).isEmpty(),
          30);
      String slurmId = emu.remoteJobId(job.uuid());
      assertThat(tb.run("squeue", "-h", "-o", "%t", "-j", slurmId).strip()).isEqualTo("PD");
      Cli.Result cancel = cli.run("job", job.uuid(), "cancel");
      assertThat(cancel.code()).as(cancel.all()).isZero();
      RemoteJob end = follow(c, job.uuid(), new ArrayList<>(), new LinkedHashMap<>());
      assertThat(end.status()).isEqualTo("CANCELLED");
      assertThat(end.condition()).isEqualTo("CANCELLED_BY_USER");
      waitFor(
          () ->
              tb.run("sacct", "-n", "-X", "-P", "-o", "State", "-j", slurmId).contains("CANCELLED"),
          20);
      assertThatThrownBy(() -> c.cancel(job.uuid()))
          .isInstanceOf(TapisException.class)
          .hasMessageContaining("409");
    } finally {
      tb.run("scancel", blocker);
    }
  }

  @Test
  void cancelWhileRunningLeavesNoProcessBehind() throws IOException {
    // The logistic regression with 2 000 000 steps instead of 200: runs for minutes.
    Path slow = work.resolve("slow/graph.json");
    Files.createDirectories(slow.getParent());
    String g = Files.readString(repo.resolve("examples/logistic-regression/graph.json"));
    Files.writeString(slow, g.replace("\"count\": 200}", "\"count\": 2000000}"));
    assertThat(Files.readString(slow)).contains("2000000");
    TapisClient c = alice(RetryPolicy.defaults());
    RemoteJob job = RemoteJobs.submit(c, submission(slow, lrInputs(), 1, "jetlag-zip"), work);
    waitFor(() -> !emu.execDir(job.uuid()).isEmpty(), 30);
    String execDir = emu.execDir(job.uuid());
    waitFor(() -> !processesMentioning(execDir + "/jetlag-work/graph.json").isEmpty(), 60);
    waitFor(() -> "RUNNING".equals(c.status(job.uuid()).status()), 10);
    Instant t0 = Instant.now();
    c.cancel(job.uuid());
    RemoteJob end = follow(c, job.uuid(), new ArrayList<>(), new LinkedHashMap<>());
    assertThat(end.status()).isEqualTo("CANCELLED");
    waitFor(() -> processesMentioning(execDir).isEmpty(), 20);
    System.out.printf(
        "MEASURED cancel of a running job to no process left: %.1f s%n",
        Duration.between(t0, Instant.now()).toMillis() / 1e3);
  }

  @Test
  void cancelWhileRunningOnFlinkStopsTheClusterAndLeavesNoProcessBehind() throws IOException {
    // The logistic regression with 2 000 000 steps instead of 200: runs for minutes on Flink.
    Path slow = work.resolve("slow-flink/graph.json");
    Files.createDirectories(slow.getParent());
    String g = Files.readString(repo.resolve("examples/logistic-regression/graph.json"));
    Files.writeString(slow, g.replace("\"count\": 200}", "\"count\": 2000000}"));
    assertThat(Files.readString(slow)).contains("2000000");
    TapisClient c = alice(RetryPolicy.defaults());
    RemoteJob job =
        RemoteJobs.submit(
            c,
            new Submission(
                slow,
                lrInputs(),
                RunSettings.defaults().withRunner("flink"),
                new Target.Tapis(SYSTEM),
                "jetlag-zip",
                version,
                Optional.empty(),
                OptionalInt.empty(),
                OptionalInt.of(2),
                OptionalInt.of(10),
                version),
            work);
    waitFor(() -> !emu.execDir(job.uuid()).isEmpty(), 30);
    String execDir = emu.execDir(job.uuid());
    // The run has started, so the cluster is up: a TaskManager of this job and the run's JVM.
    waitFor(
        () ->
            processesMentioning(execDir).stream().anyMatch(p -> p.contains("TaskManagerRunner"))
                && !processesMentioning(execDir + "/jetlag-work/graph.json").isEmpty(),
        150);
    waitFor(() -> "RUNNING".equals(c.status(job.uuid()).status()), 10);
    Instant t0 = Instant.now();
    c.cancel(job.uuid());
    RemoteJob end = follow(c, job.uuid(), new ArrayList<>(), new LinkedHashMap<>());
    assertThat(end.status()).isEqualTo("CANCELLED");
    waitFor(() -> processesMentioning(execDir).isEmpty(), 40);
    System.out.printf(
        "MEASURED cancel of a running Flink job to no process left (cluster JVMs included): %.1f"
            + " s%n",
        Duration.between(t0, Instant.now()).toMillis() / 1e3);
  }

  @Test
  void theFollowerResumesWhenTheConnectionDropsWhilePolling() {
    TapisClient c = alice(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(100)));
    RemoteJob job =
        RemoteJobs.submit(
            c,
            submission(
                repo.resolve("examples/logistic-regression/graph.json"),
                lrInputs(),
                1,
                "jetlag-zip"),
            work);
    emu.dropConnections(6, "/v3/jobs/");
    List<String> trouble = new CopyOnWriteArrayList<>();
    RemoteJob end =
        RemoteJobs.follow(
            c,
            job.uuid(),
            new JobService.Polling(
                Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMinutes(2)),
            Clock.systemUTC(),
            j -> {},
            trouble::add);
    assertThat(end.status()).isEqualTo("FINISHED");
    assertThat(trouble).isNotEmpty();
    assertThat(trouble.get(0)).contains("no answer");
  }

  @Test
  void anExpiredTokenAsksForANewLoginOrIsRefreshed() throws IOException, InterruptedException {
    Path dir = work.resolve("token-test");
    TokenStore store = TokenStore.at(dir.resolve("t.json"));
    emu.setTokenTtl(Duration.ofSeconds(1));
    TapisToken shortLived;
    try {
      shortLived =
          TapisClient.login(emu.baseUrl(), "alice", PASSWORD.toCharArray(), RetryPolicy.defaults());
    } finally {
      emu.setTokenTtl(Duration.ofHours(1));
    }
    Thread.sleep(1500);
    // Sent anyway, the server refuses it: 401, with what to do.
    assertThatThrownBy(() -> client(shortLived).jobs(5))
        .isInstanceOf(TapisException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("expired")
        .hasMessageContaining("jetlag remote login")
        .satisfies(e -> assertThat(((TapisException) e).needsLogin()).isTrue());
    // Through the store, an expired token with a refresh token is refreshed (and saved) ...
    store.save(shortLived);
    TapisClient viaStore =
        TapisClient.create(
            emu.baseUrl(),
            store.tokenSource(Clock.systemUTC(), RetryPolicy.defaults()),
            RetryPolicy.defaults());
    assertThat(viaStore.jobs(5)).isNotNull();
    assertThat(store.load().orElseThrow().accessToken()).isNotEqualTo(shortLived.accessToken());
    // ... and one without is refused before any request, asking for a new login.
    store.save(
        new TapisToken(
            shortLived.baseUrl(),
            "alice",
            shortLived.accessToken(),
            Instant.now().minusSeconds(5),
            Optional.empty()));
    assertThatThrownBy(() -> viaStore.jobs(5))
        .isInstanceOf(TapisException.class)
        .hasMessageContaining("expired")
        .hasMessageContaining("jetlag remote login");
    // The command line says the same.
    Cli.Result r = new Cli(repo, Map.of("JETLAG_CONFIG_DIR", dir.toString())).run("jobs");
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.err()).contains("jetlag remote login");
  }

  @Test
  void aRuntimeVersionMismatchIsRefusedBeforeSubmission() throws IOException {
    Path old = hpc.resolve("opt/jetlag-old");
    Files.createDirectories(old);
    Files.writeString(old.resolve("VERSION"), "0.0.1-old\n");
    TapisClient c = alice(RetryPolicy.defaults());
    ObjectNode app = new ObjectMapper().createObjectNode();
    app.put("id", "jetlag-old").put("version", version).put("runtime", "ZIP");
    app.put("containerImage", staging.resolve("apps/jetlag-zip-" + version + ".zip").toString());
    var env = app.putObject("jobAttributes").putObject("parameterSet").putArray("envVariables");
    env.addObject().put("key", "JETLAG_RUNTIME").put("value", old.toString());
    env.addObject().put("key", "JETLAG_STAGING").put("value", staging.toString());
    c.createApp(app);
    int jobsBefore = c.jobs(1000).size();
    long stagedBefore = count(staging);
    assertThatThrownBy(
            () ->
                RemoteJobs.submit(
                    c,
                    submission(
                        repo.resolve("examples/logistic-regression/graph.json"),
                        lrInputs(),
                        1,
                        "jetlag-old"),
                    work))
        .isInstanceOf(JetLagException.class)
        .hasMessageContaining("runtime version mismatch")
        .hasMessageContaining("0.0.1-old")
        .hasMessageContaining("nothing was submitted");
    assertThat(c.jobs(1000)).hasSize(jobsBefore);
    assertThat(count(staging)).isEqualTo(stagedBefore);
    Cli.Result setup = cli.run("remote", "setup", "--system", SYSTEM, "--app", "jetlag-old");
    assertThat(setup.code()).isEqualTo(4);
    assertThat(setup.out()).contains("VERSION MISMATCH");
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Someone else's job that holds every core of every node for {@code seconds}; its Slurm id. */
  private String blockEveryNode(int seconds) {
    return tb.run(
            "sbatch",
            "--parsable",
            "-N",
            Integer.toString(tb.nodes()),
            "--ntasks-per-node",
            Integer.toString(tb.cpusPerNode()),
            "-o",
            "/dev/null",
            "--wrap",
            "sleep " + seconds)
        .strip();
  }

  /** The staging folder of the job's bundle (JETLAG_STAGED_ID in the job's tapisjob.env). */
  private Path stagedFolder(String execDir) throws IOException {
    String id =
        Files.readAllLines(Path.of(execDir, "tapisjob.env")).stream()
            .filter(l -> l.startsWith(RemoteJobs.STAGED_ID_ENV + "="))
            .map(l -> l.substring(l.indexOf('=') + 1).replace("'", "").replace("\"", ""))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no JETLAG_STAGED_ID in " + execDir));
    return staging.resolve(id);
  }

  private RemoteJob follow(TapisClient c, String uuid, List<String> seen, Map<String, Instant> at) {
    return RemoteJobs.follow(
        c,
        uuid,
        new JobService.Polling(
            Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMinutes(2)),
        Clock.systemUTC(),
        j -> {
          seen.add(j.status());
          at.putIfAbsent(j.status(), Instant.now());
        },
        t -> {});
  }

  private static double[] values(Path arrow) {
    try (BufferAllocator a = Allocators.root(Long.MAX_VALUE);
        NdArray x = ArrowFiles.read(arrow, a)) {
      return x.toDoubles();
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void waitFor(Check c, int seconds) {
    Instant end = Instant.now().plusSeconds(seconds);
    Exception last = null;
    while (Instant.now().isBefore(end)) {
      try {
        if (c.ok()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("condition not met within " + seconds + " s", last);
  }

  /** PIDs of processes whose command line mentions {@code text} (read from /proc). */
  private static List<String> processesMentioning(String text) {
    List<String> pids = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      s.filter(p -> p.getFileName().toString().matches("\\d+"))
          .forEach(
              p -> {
                try {
                  String cmd =
                      new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                          .replace('\0', ' ');
                  if (cmd.contains(text)) {
                    pids.add(p.getFileName() + ": " + cmd);
                  }
                } catch (IOException e) {
                  // gone meanwhile
                }
              });
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return pids;
  }

  private static long count(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.count();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }
}
