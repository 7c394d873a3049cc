package org.jetlag.runner.beam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Tensor;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Beam DirectRunner gives the same numbers as the local runner: both split arrays into the same
 * chunks and combine reduction partials in the same tree, so results are bit-identical.
 */
class BeamContractTest {
  private BufferAllocator alloc;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  private static double[] values(long seed, int n) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }

  /** The engines every contract runs on. */
  static java.util.stream.Stream<String> engines() {
    return java.util.stream.Stream.of("direct", "flink");
  }

  private BeamRunner runner(String engine) {
    return engine.equals("direct")
        ? BeamRunner.direct(alloc, true)
        : BeamRunner.flinkEmbedded(alloc);
  }

  private void sameOnBothRunners(
      String engine, TypedGraph g, Map<String, NdArray> inputs, long chunkBytes) {
    RunRequest req =
        RunRequest.create().withOptions(RunOptions.defaults().withChunkBytes(chunkBytes));
    for (Map.Entry<String, NdArray> e : inputs.entrySet()) {
      req = req.withInput(e.getKey(), e.getValue());
    }
    try (LocalRunner local = LocalRunner.withThreads(2, Long.MAX_VALUE);
        RunResult a = local.run(g, req);
        RunResult b = runner(engine).start(g, req).result().join()) {
      assertThat(b.outputs().keySet()).isEqualTo(a.outputs().keySet());
      for (String name : a.outputs().keySet()) {
        NdArray x = a.output(name);
        NdArray y = b.output(name);
        assertThat(y.type()).as(name).isEqualTo(x.type());
        assertThat(y.toDoubles()).as("output %s, bit for bit", name).isEqualTo(x.toDoubles());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void elementwiseChainsWithBroadcastingMatchTheLocalRunner(String engine) {
    GraphBuilder g = GraphBuilder.create("ew");
    Tensor x = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 3));
    Tensor y = g.input("y", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 3));
    Tensor row = g.input("row", DType.FLOAT64, Shape.of(3));
    Tensor col = g.input("col", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 1));
    Tensor z = x.mul(y).add(2.0).sub(row).mul(col).tanh();
    g.output("z", z);
    g.output("mask", g.where(z.gt(0.1), z, y.clip(-0.5, 0.5)).astype(DType.FLOAT32));
    try (NdArray xs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(500, 3), values(1, 1500));
        NdArray ys = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(500, 3), values(2, 1500));
        NdArray rs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(3), values(3, 3));
        NdArray cs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(500, 1), values(4, 500))) {
      sameOnBothRunners(engine, g.check(), Map.of("x", xs, "y", ys, "row", rs, "col", cs), 24 * 17);
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void reductionsMatchTheLocalRunnerBitForBit(String engine) {
    GraphBuilder g = GraphBuilder.create("red");
    Tensor x = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 4));
    g.output("sum", x.sum());
    g.output("mean0", x.mean(0));
    g.output("var0", x.reduce("var", false, 0));
    g.output("max1", x.max(1));
    g.output("argmax", x.reduce("argmax", false));
    g.output("lse", x.square().reduce("logsumexp", true, 0, 1));
    try (NdArray xs =
        NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(1000, 4), values(5, 4000))) {
      for (long chunk : List.of(32L * 7, 4L << 20)) {
        sameOnBothRunners(engine, g.check(), Map.of("x", xs), chunk);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void matrixProductsMatchTheLocalRunnerBitForBit(String engine) {
    GraphBuilder g = GraphBuilder.create("products");
    Tensor x = g.input("X", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 5));
    Tensor y = g.input("y", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    Tensor w = g.input("w", DType.FLOAT64, Shape.of(5));
    Tensor r = x.matmul(w).sigmoid().sub(y);
    g.output("grad", x.T().matmul(r).div(2000.0));
    g.output("gram", x.T().matmul(x));
    g.output("scores", x.matmul(w));
    try (NdArray xs =
            NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(2000, 5), values(6, 10_000));
        NdArray ys = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(2000), values(7, 2000));
        NdArray ws = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(5), values(8, 5))) {
      assertThat(BeamRunner.unsupported(g.check())).isEmpty();
      for (long chunk : List.of(40L * 33, 4L << 20)) {
        sameOnBothRunners(engine, g.check(), Map.of("X", xs, "y", ys, "w", ws), chunk);
      }
    }
  }
}
