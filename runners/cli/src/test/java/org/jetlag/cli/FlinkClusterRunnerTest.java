package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.cli.internal.FlinkClusterControl;
import org.jetlag.flink.cluster.ClusterInfo;
import org.jetlag.flink.cluster.ClusterSpec;
import org.jetlag.flink.cluster.FlinkCluster;
import org.jetlag.flink.cluster.FlinkRest;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.Span;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.beam.BeamRunner;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The Beam runner on a real Flink 1.19 session cluster (a JobManager and a TaskManager JVM on
 * 127.0.0.1, started and stopped here): example graphs give the local runner's outputs and a trace,
 * Flink's job details are kept; a cluster of another Flink version is refused before anything is
 * submitted; cancel stops the cluster's job; a TaskManager killed mid-run fails the run with a
 * clear message instead of hanging (the last test: it leaves the cluster without a TaskManager).
 */
@Tag("flink-cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterRunnerTest {
  static final Path JOB_JAR =
      Path.of("../beam-job/target/jetlag-beam-job.jar").toAbsolutePath().normalize();
  static final Path DIR = Path.of("target", "flink-cluster-runner-test").toAbsolutePath();

  private FlinkCluster cluster;
  private BufferAllocator alloc;
  private final FlinkRest rest = new FlinkRest();

  @BeforeAll
  void start() {
    alloc = Allocators.root(Long.MAX_VALUE);
    cluster =
        FlinkCluster.start(
            ClusterSpec.of(DIR.resolve("cluster"), ClusterCommandTest.FLINK_LIB)
                .withSlots(2)
                .withJobManagerMemory(768L << 20)
                // a lost TaskManager is noticed in seconds, not Flink's default 50 s
                .withConfig("heartbeat.interval", "2000")
                .withConfig("heartbeat.timeout", "8000")
                // a job submitted after the TaskManager died waits for a slot this long (default
                // 5 minutes) before it fails
                .withConfig("slot.request.timeout", "20000"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    alloc.close();
  }

  private BeamRunner runner(String master) {
    return BeamRunner.on(
            alloc,
            new BeamRunner.Engine.FlinkCluster(
                master, JOB_JAR, 2, new FlinkClusterControl(new FlinkRest())))
        .withWorkDir(DIR.resolve("work"));
  }

  /** An example graph with its loops capped at {@code max} iterations, and its inputs. */
  private static TypedGraph example(String name, int max) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode root = json.readTree(CommandsTest.EXAMPLES.resolve(name + "/graph.json").toFile());
    for (JsonNode n : root.path("nodes")) {
      if ("loop".equals(n.path("op").asText())) {
        ObjectNode p = (ObjectNode) n.path("params");
        p.put("count", Math.min(max, p.path("count").asLong()));
      }
    }
    return Validation.check(GraphJson.parse(json.writeValueAsString(root), name));
  }

  private static RunRequest inputs(String name, String... inputs) {
    RunRequest req =
        RunRequest.create()
            .withBaseDir(CommandsTest.EXAMPLES.resolve(name))
            .withOptions(RunOptions.defaults().withChunkBytes(16 << 10));
    for (String in : inputs) {
      req = req.withInput(in, CommandsTest.EXAMPLES.resolve(name + "/" + in + ".npy"));
    }
    return req;
  }

  @Test
  @Order(1)
  @Timeout(300)
  void examplesGiveTheLocalRunnersOutputsWithTraceAndJobDetails() throws IOException {
    Path details = DIR.resolve("jobs.json");
    for (Map.Entry<String, RunRequest> e :
        Map.of(
                "linear-regression", inputs("linear-regression", "X", "y"),
                "kmeans", inputs("kmeans", "X", "init"))
            .entrySet()) {
      TypedGraph g = example(e.getKey(), 1);
      BeamRunner beam = runner(cluster.restAddress()).writingJobDetailsTo(details);
      try (LocalRunner local = LocalRunner.withThreads(2, Long.MAX_VALUE);
          RunResult want = local.run(g, e.getValue());
          RunResult got = beam.start(g, e.getValue()).result().join()) {
        for (String o : want.outputs().keySet()) {
          assertThat(got.output(o).type()).isEqualTo(want.output(o).type());
          double[] a = got.output(o).toDoubles();
          double[] w = want.output(o).toDoubles();
          for (int i = 0; i < w.length; i++) {
            assertThat(Math.abs(a[i] - w[i]))
                .as("%s %s[%d] on the cluster vs local", e.getKey(), o, i)
                .isLessThanOrEqualTo(1e-9 * Math.abs(w[i]));
          }
        }
        assertThat(got.trace().info().runner()).isEqualTo("flink@" + cluster.restAddress());
        // spans come from the TaskManager process, not from this one
        assertThat(got.trace().spans())
            .extracting(Span::worker)
            .anyMatch(w -> w.startsWith("taskmanager "));
        JsonNode jobs = new ObjectMapper().readTree(details.toFile());
        assertThat(jobs.size()).as("one Flink job per pipeline of the run").isPositive();
        assertThat(jobs.get(0).path("vertices").size()).isPositive();
        assertThat(jobs.get(0).path("state").asText()).isEqualTo("FINISHED");
      }
    }
  }

  @Test
  @Order(2)
  @Timeout(60)
  void aClusterOfAnotherFlinkVersionIsRefusedBeforeSubmitting() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fake.createContext(
        "/",
        x -> {
          asked.add(x.getRequestMethod() + " " + x.getRequestURI().getPath());
          byte[] body =
              x.getRequestURI().getPath().equals("/config")
                  ? "{\"flink-version\":\"1.18.1\",\"refresh-interval\":3000}"
                      .getBytes(StandardCharsets.UTF_8)
                  : "{}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    fake.start();
    try {
      String master = "127.0.0.1:" + fake.getAddress().getPort();
      TypedGraph g = example("linear-regression", 1);
      assertThatThrownBy(
              () -> runner(master).start(g, inputs("linear-regression", "X", "y")).result().join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(RunFailure.class)
          .hasMessageContaining("runs Flink 1.18.1")
          .hasMessageContaining("Flink 1.19")
          .hasMessageContaining("nothing was submitted");
      assertThat(asked).containsExactly("GET /config");
    } finally {
      fake.stop(0);
    }
  }

  /** Waits until the cluster runs a job, or fails the test. */
  private void awaitRunningJob(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (rest.jobs(cluster.restAddress()).stream().anyMatch(j -> j.state().equals("RUNNING"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no job started running within " + within);
  }

  @Test
  @Order(3)
  @Timeout(120)
  void cancelStopsTheClustersJob() throws Exception {
    TypedGraph g = example("kmeans", 20);
    RunHandle h = runner(cluster.restAddress()).start(g, inputs("kmeans", "X", "init"));
    awaitRunningJob(Duration.ofSeconds(60));
    h.cancel();
    assertThatThrownBy(() -> h.result().get(10, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline
        && rest.jobs(cluster.restAddress()).stream()
            .anyMatch(j -> !List.of("FINISHED", "FAILED", "CANCELED").contains(j.state()))) {
      Thread.sleep(200);
    }
    assertThat(rest.jobs(cluster.restAddress()))
        .as("no job left running on the cluster")
        .allMatch(j -> List.of("FINISHED", "FAILED", "CANCELED").contains(j.state()));
  }

  @Test
  @Order(4)
  @Timeout(180)
  void aTaskManagerKilledMidRunFailsTheRunClearly() throws Exception {
    TypedGraph g = example("kmeans", 20);
    RunHandle h = runner(cluster.restAddress()).start(g, inputs("kmeans", "X", "init"));
    awaitRunningJob(Duration.ofSeconds(60));
    ClusterInfo.ProcessInfo tm =
        cluster.info().processes().stream()
            .filter(p -> p.name().startsWith("taskmanager"))
            .findFirst()
            .orElseThrow();
    ProcessHandle.of(tm.pid()).orElseThrow().destroyForcibly();
    assertThatThrownBy(() -> h.result().get(150, TimeUnit.SECONDS))
        .as("the run fails instead of hanging")
        .hasCauseInstanceOf(RunFailure.class)
        .cause()
        .hasMessageContaining("Beam run on flink@" + cluster.restAddress() + " failed");
    assertThat(Files.exists(DIR.resolve("work"))).isTrue();
  }
}
