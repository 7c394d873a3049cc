package org.jetlag.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.Span;
import org.jetlag.perf.TraceChecks;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.beam.BeamRunner;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runner contract over the examples: every example graph gives the local runner's outputs on
 * Beam's DirectRunner and on embedded Flink, in many small chunks, and each Beam run's trace maps
 * every span to a node of the graph.
 *
 * <p>Beam runs cost seconds per loop iteration (DirectRunner steps and Flink jobs are heavy), so
 * each example's loops are shortened to {@value #ITERATIONS} iterations here; the graphs are
 * otherwise the examples' own, run on all runners alike.
 */
@Tag("beam")
class ExamplesOnEveryRunnerTest {
  static final int ITERATIONS = 2;

  /** Relative tolerance: whole-array fallbacks may add in another order than the local runner. */
  static final double RTOL = 1e-9;

  private BufferAllocator alloc;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (Path dir : ExamplesRunTest.examples().toList()) {
      for (String engine : List.of("direct", "flink")) {
        out.add(Arguments.of(dir.getFileName().toString(), engine));
      }
    }
    return out.stream();
  }

  /** The example's graph with every loop's count capped at {@code max}. */
  static TypedGraph shortened(Path dir, int max) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode root = json.readTree(dir.resolve("graph.json").toFile());
    cap(root, max);
    return Validation.check(GraphJson.parse(json.writeValueAsString(root), dir + "/graph.json"));
  }

  private static void cap(JsonNode n, int max) {
    if (n.isObject()) {
      JsonNode op = n.get("op");
      JsonNode params = n.get("params");
      if (op != null && "loop".equals(op.asText()) && params != null && params.has("count")) {
        ((ObjectNode) params).put("count", Math.min(max, params.get("count").asLong()));
      }
    }
    for (JsonNode child : n) {
      cap(child, max);
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cases")
  void sameOutputsAsTheLocalRunner(String example, String engine) throws IOException {
    Path dir = ExampleGraphsTest.examplesDir().resolve(example);
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("example.properties"))) {
      props.load(r);
    }
    TypedGraph g = shortened(dir, ITERATIONS);
    RunRequest req =
        RunRequest.create()
            .withBaseDir(dir)
            .withOptions(RunOptions.defaults().withChunkBytes(64 << 10));
    for (String in : props.getProperty("inputs").split(",")) {
      req = req.withInput(in.trim(), dir.resolve(in.trim() + ".npy"));
    }
    BeamRunner beam =
        engine.equals("direct") ? BeamRunner.direct(alloc, true) : BeamRunner.flinkEmbedded(alloc);
    try (LocalRunner local = LocalRunner.withThreads(2, Long.MAX_VALUE);
        RunResult want = local.run(g, req);
        RunResult got = beam.start(g, req).result().join()) {
      assertThat(got.outputs().keySet()).isEqualTo(want.outputs().keySet());
      for (String o : want.outputs().keySet()) {
        assertThat(got.output(o).type()).as(o).isEqualTo(want.output(o).type());
        double[] a = got.output(o).toDoubles();
        double[] e = want.output(o).toDoubles();
        for (int i = 0; i < e.length; i++) {
          boolean same = Double.compare(a[i], e[i]) == 0;
          assertThat(same || Math.abs(a[i] - e[i]) <= RTOL * Math.abs(e[i]))
              .as("%s output %s[%d] on %s: %s, local runner %s", example, o, i, engine, a[i], e[i])
              .isTrue();
        }
      }
      TraceChecks.assertConsistent(got.trace());
      assertThat(got.trace().info().runner()).isEqualTo(beam.name());
      assertThat(got.trace().spans()).isNotEmpty();
      // every node that computes something has spans (graph inputs are read by steps too)
      assertThat(got.trace().spans().stream().map(Span::nodeId).distinct().count())
          .isGreaterThan(g.graph().nodes().size() / 2);
    }
  }
}
