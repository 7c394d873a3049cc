package org.jetlag.runner.beam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Loop;
import org.jetlag.graph.build.Tensor;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runner contract on a seeded corpus of random valid graphs: chains over a chunked matrix, a
 * row and a column drawn from every lowering path — fused elementwise ops with broadcasting,
 * reductions over rows (partials and the combine tree) and columns (per chunk), products with a
 * side input and {@code X.T @ X}, reshapes that keep or change axis 0, transposes, slices,
 * concatenation, sorts, solves, and a loop with a count (unrolled on the DirectRunner, driven job
 * by job on Flink) — give the local runner's outputs on the DirectRunner and on embedded Flink.
 */
@Tag("beam")
class RandomGraphsOnBeamTest {
  private BufferAllocator alloc;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  static Stream<Arguments> cases() {
    // every seed on the DirectRunner; every fourth on Flink too (a Flink job costs seconds)
    return LongStream.rangeClosed(1, 12)
        .boxed()
        .flatMap(
            s ->
                s % 4 == 0
                    ? Stream.of(Arguments.of(s, "direct"), Arguments.of(s, "flink"))
                    : Stream.of(Arguments.of(s, "direct")));
  }

  /** A random graph; its outputs name every value drawn. */
  static TypedGraph graph(long seed, int n, int k) {
    Random r = new Random(seed);
    GraphBuilder g = GraphBuilder.create("random-beam-" + seed);
    Tensor x = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN, k));
    Tensor row = g.input("row", DType.FLOAT64, Shape.of(k));
    Tensor col = g.input("col", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 1));
    List<Tensor> mats = new ArrayList<>(List.of(x, x.mul(col).tanh())); // [n, k]
    List<Tensor> small = new ArrayList<>(List.of(row)); // [k]
    List<Tensor> outs = new ArrayList<>();
    int steps = 5 + r.nextInt(8);
    for (int s = 0; s < steps; s++) {
      Tensor m = mats.get(r.nextInt(mats.size()));
      Tensor v = small.get(r.nextInt(small.size()));
      switch (r.nextInt(14)) {
        case 0 -> mats.add(m.mul(v).add(col).sin()); // fused, side input + joined operand
        case 1 -> mats.add(g.where(m.gt(0.0), m, v.neg()).clip(-0.7, 0.9));
        case 2 -> small.add(m.sum(0)); // partials combined in the tree
        case 3 -> small.add(m.reduce("var", false, 0)); // two-pass statistics, one tree
        case 4 -> outs.add(m.max(1)); // per chunk
        case 5 -> outs.add(m.matmul(v)); // side-input product
        case 6 -> outs.add(m.T().matmul(m)); // per-chunk products summed
        case 7 -> outs.add(m.expandDims(2).squeeze().abs().sqrt()); // keeps axis 0: per chunk
        case 8 -> outs.add(m.T().add(1.0)); // a real transpose: gathered
        case 9 -> outs.add(m.slice(1, Math.max(2, n / 2)).sum(0)); // gathered slice
        case 10 -> outs.add(g.concat(0, m, m.neg()).mean(0));
        case 11 -> outs.add(g.op("sort", Map.of("axis", 1L), Map.of("x", m))); // per chunk
        case 12 -> {
          Tensor gram = m.T().matmul(m).add(g.eye(k)); // well conditioned
          outs.add(g.op("solve", Map.of(), Map.of("a", gram, "b", v)));
        }
        default -> {
          Loop l = g.loop(2 + r.nextInt(2));
          Tensor w = l.carry("w", v);
          Tensor xm = l.fixed("m", m);
          Tensor next = xm.T().matmul(xm.matmul(w).tanh()).div((double) n).add(w.mul(0.5));
          l.update("w", next);
          small.add(l.end().get("w"));
        }
      }
    }
    outs.add(mats.get(mats.size() - 1));
    outs.add(small.get(small.size() - 1));
    for (int i = 0; i < outs.size(); i++) {
      g.output("o" + i, outs.get(i));
    }
    return g.check();
  }

  @ParameterizedTest(name = "seed {0} on {1}")
  @MethodSource("cases")
  void sameOutputsAsTheLocalRunner(long seed, String engine) {
    Random r = new Random(~seed);
    int n = 50 + r.nextInt(400);
    int k = 2 + r.nextInt(4);
    TypedGraph g = graph(seed, n, k);
    double[] xv = new double[n * k];
    double[] cv = new double[n];
    double[] rv = new double[k];
    for (int i = 0; i < xv.length; i++) {
      xv[i] = r.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      cv[i] = r.nextGaussian();
    }
    for (int i = 0; i < k; i++) {
      rv[i] = r.nextGaussian();
    }
    // a few rows per chunk, so every path meets many chunks
    long chunk = 8L * k * (3 + r.nextInt(30));
    try (NdArray xs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n, k), xv);
        NdArray cs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n, 1), cv);
        NdArray rs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(k), rv)) {
      RunRequest req =
          RunRequest.create()
              .withInput("x", xs)
              .withInput("col", cs)
              .withInput("row", rs)
              .withOptions(RunOptions.defaults().withChunkBytes(chunk));
      BeamRunner beam =
          engine.equals("direct")
              ? BeamRunner.direct(alloc, true)
              : BeamRunner.flinkEmbedded(alloc);
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
            assertThat(same || Math.abs(a[i] - e[i]) <= 1e-9 * Math.max(1, Math.abs(e[i])))
                .as("seed %d output %s[%d] on %s: %s vs local %s", seed, o, i, engine, a[i], e[i])
                .isTrue();
          }
        }
      }
    }
  }
}
