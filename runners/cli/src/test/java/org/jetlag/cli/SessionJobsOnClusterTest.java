package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.flink.cluster.ClusterSpec;
import org.jetlag.flink.cluster.FlinkCluster;
import org.jetlag.flink.cluster.FlinkRest;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jetlag submit --target flink://host:port} and the job commands on a real Flink 1.19
 * session cluster (a JobManager and a TaskManager JVM on 127.0.0.1): the job's driver runs in a JVM
 * of its own, detached from the command that submitted it; outputs fetched equal the local runner's
 * and the trace maps every span to a node of the graph; cancel stops the cluster's Flink job and
 * the driver; a failing job shows its log.
 */
@Tag("flink-cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionJobsOnClusterTest {
  static final Path DIR = Path.of("target", "session-jobs-test").toAbsolutePath();
  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();

  private FlinkCluster cluster;
  private String target;
  private final FlinkRest rest = new FlinkRest();
  private String configBefore;
  private String homeBefore;

  @BeforeAll
  void start() throws IOException {
    if (Files.exists(DIR)) {
      org.jetlag.remote.SafeArchives.deleteTree(DIR);
    }
    configBefore = System.getProperty("jetlag.config.dir");
    homeBefore = System.getProperty("jetlag.home");
    System.setProperty("jetlag.config.dir", DIR.resolve("config").toString());
    // the driver JVM finds the Beam job jar under the build
    System.setProperty("jetlag.home", HOME.toString());
    cluster =
        FlinkCluster.start(
            ClusterSpec.of(DIR.resolve("cluster"), ClusterCommandTest.FLINK_LIB)
                .withSlots(2)
                .withJobManagerMemory(768L << 20));
    target = "flink://" + cluster.restAddress();
  }

  @AfterAll
  void stop() {
    restore("jetlag.config.dir", configBefore);
    restore("jetlag.home", homeBefore);
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  @Timeout(240)
  void aSubmittedGraphRunsOnTheClusterAndItsResultsComeBack() throws IOException {
    Path graph = CommandsTest.EXAMPLES.resolve("linear-regression/graph.json");
    CliRun sub =
        CliRun.of("submit", graph.toString(), "--target", target, "--cores", "2", "--wait");
    assertThat(sub.code()).as(sub.toString()).isZero();
    String id = sub.out().lines().findFirst().orElseThrow();
    assertThat(sub.out()).contains(id + " FINISHED in").contains("running");

    CliRun jobs = CliRun.of("jobs");
    assertThat(jobs.code()).as(jobs.toString()).isZero();
    assertThat(jobs.out()).contains(id).contains("FINISHED").contains(target);
    CliRun history = CliRun.of("job", id, "history");
    assertThat(history.out().lines().map(l -> l.split("\\s+")[1]))
        .containsExactly("PENDING", "RUNNING", "FINISHED");
    CliRun status = CliRun.of("job", id, "status");
    assertThat(status.out())
        .contains(id + ": FINISHED (NORMAL_COMPLETION)")
        .contains("Flink jobs ");

    Path fetched = DIR.resolve("fetched");
    CliRun fetch = CliRun.of("job", id, "fetch", "--to", fetched.toString());
    assertThat(fetch.code()).as(fetch.toString()).isZero();
    assertThat(fetched.resolve("jetlag.log")).exists();
    assertThat(fetched.resolve("trace.json.flink-jobs.json")).exists();

    Path local = DIR.resolve("local");
    CliRun run = CliRun.of("run", graph.toString(), "--output", local.toString(), "--quiet");
    assertThat(run.code()).as(run.toString()).isZero();
    try (BufferAllocator a = Allocators.root(Long.MAX_VALUE)) {
      for (String out : Set.of("coef", "residual_norm")) {
        try (NdArray want = ArrowFiles.read(local.resolve(out + ".arrow"), a);
            NdArray got = ArrowFiles.read(fetched.resolve(out + ".arrow"), a)) {
          assertThat(got.type()).isEqualTo(want.type());
          double[] g = got.toDoubles();
          double[] w = want.toDoubles();
          for (int i = 0; i < w.length; i++) {
            assertThat(Math.abs(g[i] - w[i]))
                .as("%s[%d] on the cluster vs local", out, i)
                .isLessThanOrEqualTo(1e-9 * Math.abs(w[i]));
          }
        }
      }
    }
    Trace trace = TraceJson.read(fetched.resolve("trace.json"));
    Set<String> nodes =
        GraphJson.read(graph).nodes().stream()
            .map(org.jetlag.graph.Node::id)
            .collect(Collectors.toSet());
    assertThat(trace.spans()).isNotEmpty();
    assertThat(trace.spans()).extracting(Span::nodeId).allMatch(nodes::contains);
    assertThat(trace.spans()).extracting(Span::worker).anyMatch(w -> w.startsWith("taskmanager "));
    assertThat(trace.info().runner()).isEqualTo("flink@" + cluster.restAddress());
  }

  @Test
  @Timeout(240)
  void cancelStopsTheClustersJobAndTheDriver() throws Exception {
    Path graph = CommandsTest.EXAMPLES.resolve("kmeans/graph.json");
    CliRun sub = CliRun.of("submit", graph.toString(), "--target", target);
    assertThat(sub.code()).as(sub.toString()).isZero();
    String id = sub.out().strip();
    // the submitting command has returned; the driver runs on in its own JVM
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (rest.jobs(cluster.restAddress()).stream().noneMatch(j -> j.state().equals("RUNNING"))) {
      assertThat(Instant.now()).as("a Flink job of the driver runs").isBefore(deadline);
      assertThat(CliRun.of("job", id, "status").out()).doesNotContain("FAILED");
      Thread.sleep(200);
    }
    long pid = driverPid(id);
    assertThat(ProcessHandle.of(pid)).isPresent();
    CliRun cancel = CliRun.of("job", id, "cancel");
    assertThat(cancel.code()).as(cancel.toString()).isZero();
    CliRun wait = CliRun.of("job", id, "wait");
    assertThat(wait.code()).as(wait.toString()).isEqualTo(ExitCodes.CANCELLED);
    assertThat(wait.out()).contains("CANCELLED");
    assertThat(CliRun.of("job", id, "status").out()).contains("CANCELLED (CANCELLED_BY_USER)");
    Instant gone = Instant.now().plus(Duration.ofSeconds(30));
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertThat(Instant.now()).as("the driver has exited").isBefore(gone);
      Thread.sleep(100);
    }
    // Flink cancels asynchronously (RUNNING, CANCELLING, CANCELED)
    Instant settled = Instant.now().plus(Duration.ofSeconds(30));
    while (rest.jobs(cluster.restAddress()).stream()
        .anyMatch(j -> !List.of("FINISHED", "FAILED", "CANCELED").contains(j.state()))) {
      assertThat(Instant.now())
          .as(
              "no job of the cancelled driver is left running: %s",
              rest.jobs(cluster.restAddress()))
          .isBefore(settled);
      Thread.sleep(200);
    }
    assertThat(rest.jobs(cluster.restAddress())).anyMatch(j -> j.state().equals("CANCELED"));
  }

  @Test
  @Timeout(120)
  void aJobThatFailsShowsItsLog() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path graph = CommandsTest.EXAMPLES.resolve("linear-regression/graph.json");
    CliRun sub =
        CliRun.of("submit", graph.toString(), "--target", "flink://127.0.0.1:" + closed, "--wait");
    assertThat(sub.code()).as(sub.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(sub.out()).contains("FAILED (JOB_EXECUTION_FAILED)");
    assertThat(sub.err()).contains("the driver's log").contains("127.0.0.1:" + closed);
  }

  private long driverPid(String id) throws IOException {
    JsonNode job =
        new ObjectMapper()
            .readTree(DIR.resolve("config/jobs").resolve(id).resolve("job.json").toFile());
    return job.path("pid").asLong();
  }
}
