package org.jetlag.runner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.ChromeTrace;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceChecks;
import org.jetlag.perf.TraceJson;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The traces the local runner records pass the checks every runner's traces must pass. */
class LocalRunnerTraceTest {

  static Stream<Path> examples() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("examples"))
        || !Files.isDirectory(root.resolve(".mvn"))) {
      root = root.getParent();
    }
    try (Stream<Path> s = Files.list(root.resolve("examples"))) {
      return s.filter(p -> Files.exists(p.resolve("graph.json"))).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleTracesAreConsistentAndExportCleanly(Path dir, @TempDir Path tmp) throws Exception {
    TypedGraph g = Validation.check(GraphJson.read(dir.resolve("graph.json")));
    RunRequest req =
        RunRequest.create()
            .withBaseDir(dir)
            .withOptions(RunOptions.defaults().withChunkBytes(16 << 10));
    for (var n : g.graph().inputNodes()) {
      String name = (String) g.params(n.id()).get("name");
      req = req.withInput(name, dir.resolve(name + ".npy"));
    }
    try (LocalRunner runner = LocalRunner.withThreads(2, Long.MAX_VALUE);
        RunResult r = runner.run(g, req)) {
      Trace t = r.trace();
      TraceChecks.assertConsistent(t);
      assertThat(t.droppedSpans()).isZero();
      assertThat(t.info().runner()).isEqualTo("local");
      assertThat(t.info().graphHash()).hasSize(64);
      // every task of every node has its span
      long tasks =
          t.nodes().stream()
              .filter(p -> !p.op().equals("loop") && !p.op().equals("composite"))
              .mapToLong(p -> p.calls())
              .sum();
      long taskSpans =
          t.spans().stream()
              .filter(s -> !s.fused().isEmpty())
              .mapToLong(s -> s.fused().size())
              .sum();
      assertThat(taskSpans).as("one span share per task").isEqualTo(tasks);
      // body tasks name the iteration they ran in
      List<Span> body = t.spans().stream().filter(s -> s.nodeId().contains("/")).toList();
      assertThat(body).allMatch(s -> s.parent() > 0);
      // exports
      StringWriter chrome = new StringWriter();
      ChromeTrace.write(t, chrome);
      assertThat(TraceChecks.assertChromeValid(chrome.toString())).isEqualTo(t.spans().size());
      Path file = tmp.resolve("trace.json");
      TraceJson.write(t, file);
      Trace back = TraceJson.read(file);
      assertThat(back).isEqualTo(t);
      Path again = tmp.resolve("again.json");
      TraceJson.write(back, again);
      assertThat(Files.readString(again)).isEqualTo(Files.readString(file));
    }
  }

  @Test
  void withoutSpansTheProfilesStillCountEveryTask() throws Exception {
    Path dir =
        examples()
            .filter(p -> p.getFileName().toString().equals("kmeans"))
            .findFirst()
            .orElseThrow();
    TypedGraph g = Validation.check(GraphJson.read(dir.resolve("graph.json")));
    RunRequest req =
        RunRequest.create()
            .withBaseDir(dir)
            .withInput("X", dir.resolve("X.npy"))
            .withInput("init", dir.resolve("init.npy"))
            .withOptions(RunOptions.defaults().withMaxSpans(0));
    try (LocalRunner runner = LocalRunner.withThreads(2, Long.MAX_VALUE);
        RunResult r = runner.run(g, req)) {
      assertThat(r.trace().spans()).isEmpty();
      assertThat(r.trace().droppedSpans()).isPositive();
      assertThat(r.trace().nodes().stream().mapToLong(p -> p.calls()).sum()).isPositive();
    }
    try (LocalRunner runner = LocalRunner.withThreads(2, Long.MAX_VALUE);
        RunResult r = runner.run(g, req.withOptions(RunOptions.defaults().withMaxSpans(50)))) {
      // the budget is exact: 50 spans kept, the rest counted
      assertThat(r.trace().spans()).hasSize(50);
      assertThat(r.trace().droppedSpans()).isPositive();
    }
  }
}
