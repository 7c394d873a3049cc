package org.jetlag.runner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Loop;
import org.jetlag.graph.build.Tensor;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local runner promises: failures name nodes, nothing leaks, runs stop on request. */
class LocalRunnerContractTest {
  private BufferAllocator alloc;
  private BufferAllocator runnerMemory;
  private LocalRunner runner;
  private java.util.concurrent.ExecutorService pool;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(Long.MAX_VALUE);
    runnerMemory = Allocators.root(Long.MAX_VALUE);
    pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    runner = LocalRunner.create(pool, 2, runnerMemory);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    runner.close();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runnerMemory.getAllocatedMemory()).as("runner memory after the test").isZero();
    runnerMemory.close();
    alloc.close();
  }

  private NdArray vector(double... v) {
    return NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(v.length), v);
  }

  private static double[] ramp(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i % 1000) * 0.001 - 0.3;
    }
    return v;
  }

  @Test
  void aFailingNodeIsNamedAndItsMemoryIsFreed() {
    GraphBuilder g = GraphBuilder.create("singular");
    Tensor a = g.input("A", DType.FLOAT64, Shape.of(2, 2));
    Tensor b = g.input("b", DType.FLOAT64, Shape.of(2));
    Tensor x =
        g.op(
            "solve",
            java.util.Map.of(),
            new java.util.LinkedHashMap<>(java.util.Map.of("a", a, "b", b)));
    g.output("x", x.add(1.0));
    try (NdArray am =
            NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(2, 2), new double[] {1, 2, 2, 4});
        NdArray bm = vector(1, 2)) {
      assertThatThrownBy(
              () ->
                  runner.run(g.check(), RunRequest.create().withInput("A", am).withInput("b", bm)))
          .isInstanceOf(RunFailure.class)
          .hasMessageStartingWith("node 'solve_1' (solve): ")
          .hasMessageContaining("singular");
    }
  }

  @Test
  void inputsAreCheckedAgainstTheirDeclaredTypes() {
    GraphBuilder g = GraphBuilder.create("typed");
    Tensor x = g.input("X", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 3));
    g.output("s", x.sum());
    TypedGraph t = g.check();
    try (NdArray wrong =
        NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(2, 2), new double[] {1, 2, 3, 4})) {
      assertThatThrownBy(() -> runner.run(t, RunRequest.create().withInput("X", wrong)))
          .isInstanceOf(RunFailure.class)
          .hasMessage("node 'X' (input): input 'X': expected float64[?,3], got float64[2,2]");
    }
    assertThatThrownBy(() -> runner.run(t, RunRequest.create()))
        .isInstanceOf(RunFailure.class)
        .hasMessageContaining("node 'X' (input)")
        .hasMessageContaining("--input X=FILE");
  }

  @Test
  void resultsDoNotDependOnThreadsAndMatchAcrossChunkSizes() throws Exception {
    GraphBuilder g = GraphBuilder.create("chain");
    Tensor a = g.input("a", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 4));
    Tensor w = g.input("w", DType.FLOAT64, Shape.of(4));
    Tensor y = a.mul(w).add(a.sin()).sub(a.mean(0));
    g.output("y", y);
    g.output("total", y.sum());
    g.output("rows", y.max(1));
    g.output("var", y.reduce("var", false, 0));
    TypedGraph t = g.check();
    double[] data = ramp(40_000);
    List<List<double[]>> runs = new ArrayList<>();
    for (int threads : new int[] {1, 2, 2}) {
      for (long chunk : new long[] {RunOptions.DEFAULT_CHUNK_BYTES, 3200}) {
        try (LocalRunner r = LocalRunner.withThreads(threads, Long.MAX_VALUE);
            NdArray an = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(10_000, 4), data);
            NdArray wn = vector(0.5, -1, 2, 0.25);
            RunResult res =
                r.run(
                    t,
                    RunRequest.create()
                        .withInput("a", an)
                        .withInput("w", wn)
                        .withOptions(RunOptions.defaults().withChunkBytes(chunk)))) {
          List<double[]> outs = new ArrayList<>();
          for (NdArray o : res.outputs().values()) {
            outs.add(o.toDoubles());
          }
          runs.add(outs);
        }
      }
    }
    // same chunking, other thread count: bit-identical
    for (int k = 2; k < runs.size(); k++) {
      for (int o = 0; o < 4; o++) {
        assertThat(runs.get(k).get(o)).isEqualTo(runs.get(k % 2).get(o));
      }
    }
    // other chunking: equal within rounding of a differently ordered sum
    for (int o = 0; o < 4; o++) {
      double[] big = runs.get(0).get(o);
      double[] small = runs.get(1).get(o);
      for (int i = 0; i < big.length; i++) {
        assertThat(small[i])
            .isCloseTo(big[i], org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(big[i]))));
      }
    }
    // and against a plain Java evaluation
    double[] y0 = runs.get(0).get(0);
    double[] mean = new double[4];
    for (int i = 0; i < data.length; i++) {
      mean[i % 4] += data[i] / 10_000;
    }
    double[] wv = {0.5, -1, 2, 0.25};
    for (int i = 0; i < data.length; i += 997) {
      assertThat(y0[i])
          .isCloseTo(
              data[i] * wv[i % 4] + Math.sin(data[i]) - mean[i % 4],
              org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void cancelStopsALongLoopPromptly() throws Exception {
    GraphBuilder g = GraphBuilder.create("forever");
    Tensor x0 = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    Loop loop = g.loopUntil("done", 1_000_000_000L);
    Tensor x = loop.carry("x", x0);
    Tensor next = x.mul(1.0000001).add(1e-9);
    loop.update("x", next);
    loop.stopWhen(next.sum().lt(-1.0)); // never true for positive data
    g.output("x", loop.end().get("x"));
    List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (NdArray xs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(1000), ramp(1000))) {
      RunHandle h =
          runner.start(
              g.check(),
              RunRequest.create()
                  .withInput("x", xs)
                  .withOptions(RunOptions.defaults().withListener(events::add)));
      Thread.sleep(300);
      assertThat(h.result()).isNotDone();
      long t0 = System.nanoTime();
      h.cancel();
      assertThatThrownBy(() -> h.result().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(CancellationException.class);
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
      assertThat(events).anyMatch(e -> e instanceof RunEvent.Progress);
    }
  }

  @Test
  void aTimeoutFailsTheRunWithAClearMessage() {
    GraphBuilder g = GraphBuilder.create("slow");
    Tensor x0 = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    Loop loop = g.loopUntil("done", 1_000_000_000L);
    Tensor x = loop.carry("x", x0);
    loop.update("x", x.add(1.0));
    loop.stopWhen(x.sum().lt(-1.0));
    g.output("x", loop.end().get("x"));
    try (NdArray xs = vector(1, 2, 3)) {
      assertThatThrownBy(
              () ->
                  runner.run(
                      g.check(),
                      RunRequest.create()
                          .withInput("x", xs)
                          .withOptions(RunOptions.defaults().withTimeout(Duration.ofMillis(300)))))
          .isInstanceOf(RunFailure.class)
          .hasMessageContaining("exceeded its timeout of 300 ms");
    }
  }

  @Test
  void tooLittleMemoryIsAClearFailureNotACrash() {
    GraphBuilder g = GraphBuilder.create("big");
    g.output("z", g.zeros(1_000_000).add(1.0));
    assertThatThrownBy(
            () ->
                runner.run(
                    g.check(),
                    RunRequest.create()
                        .withOptions(RunOptions.defaults().withMemoryLimit(1 << 20))))
        .isInstanceOf(RunFailure.class)
        .hasMessageMatching("node '(zeros|add)_1' \\((zeros|add)\\): out of memory: (?s).*");
  }

  @Test
  void aFileLargerThanTheMemoryLimitStreamsThroughAChainAndASum(@TempDir Path dir) {
    int n = 4_000_000; // 32 MB on disk
    Path file = dir.resolve("big.npy");
    try (NdArray big = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n), ramp(n))) {
      NpyFiles.write(big, file);
    }
    GraphBuilder g = GraphBuilder.create("stream");
    Tensor x = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    g.output("s", x.mul(2.0).add(1.0).square().sum());
    double expect = 0;
    double[] v = ramp(n);
    for (double d : v) {
      expect += (2 * d + 1) * (2 * d + 1);
    }
    try (RunResult r =
        runner.run(
            g.check(),
            RunRequest.create()
                .withInput("x", file)
                .withOptions(
                    RunOptions.defaults().withChunkBytes(256 << 10).withMemoryLimit(8 << 20)))) {
      assertThat(r.output("s").getDouble(0))
          .isCloseTo(expect, org.assertj.core.data.Offset.offset(1e-6 * expect));
    }
  }

  @Test
  void independentBranchesAndIntermediatesAreFreedAfterTheRun() {
    GraphBuilder g = GraphBuilder.create("branches");
    Tensor x = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 8));
    Tensor left = x.exp().sum(1);
    Tensor right = x.T().matmul(x);
    g.output("left", left);
    g.output("right", right);
    try (NdArray xs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(5000, 8), ramp(40_000));
        RunResult r =
            runner.run(
                g.check(),
                RunRequest.create()
                    .withInput("x", xs)
                    .withOptions(RunOptions.defaults().withChunkBytes(16 << 10)))) {
      assertThat(r.output("left").shape()).isEqualTo(Shape.of(5000));
      assertThat(r.output("right").shape()).isEqualTo(Shape.of(8, 8));
      long outputs = 0;
      for (NdArray o : r.outputs().values()) {
        for (var c : o.chunks()) {
          outputs += c.buffer().capacity();
        }
      }
      assertThat(runnerMemory.getAllocatedMemory()).as("only the outputs stay").isEqualTo(outputs);
      assertThat(r.profile().nodes()).extracting(p -> p.nodeId()).contains("matmul_1", "sum_1");
    }
  }

  @Test
  void anUntilFlagThatIsAlsoCarriedStopsTheLoop() {
    GraphBuilder g = GraphBuilder.create("halve");
    Tensor x0 = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    Tensor d0 = g.input("done", DType.BOOL, Shape.SCALAR);
    Loop loop = g.loopUntil("done", 100);
    Tensor x = loop.carry("x", x0);
    loop.carry("done", d0);
    Tensor half = x.mul(0.5);
    Tensor done = half.sum().lt(1.0);
    loop.update("x", half).update("done", done); // "done" is carried: its update stops the loop
    g.output("x", loop.end().get("x"));
    try (NdArray xs = vector(1, 2, 3, 4, 5, 6, 7, 8);
        NdArray ds = NdArray.fromLongs(alloc, DType.BOOL, Shape.SCALAR, new long[] {0});
        RunResult r =
            runner.run(g.check(), RunRequest.create().withInput("x", xs).withInput("done", ds))) {
      // 36, 18, 9, 4.5, 2.25, 1.125, 0.5625: six halvings
      assertThat(r.output("x").toDoubles()[7]).isEqualTo(8 / 64.0);
    }
  }

  @Test
  void arraysSharingAPartitionKeepTheirOwnChunkShapes() {
    // Y + X + sum(X, axis 1, keepdims): values of different shapes share one partition and are
    // read concurrently; a shared shape cache once mixed their chunk shapes up
    int n = 5000;
    GraphBuilder g = GraphBuilder.create("shapes");
    Tensor x = g.input("X", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 2, 1));
    Tensor y = g.input("Y", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 2, 3));
    g.output("o", y.add(x).add(x.reduce("sum", true, 1)));
    double[] xv = ramp(n * 2);
    double[] yv = ramp(n * 6);
    TypedGraph t = g.check();
    for (int rep = 0; rep < 10; rep++) {
      try (NdArray xs = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n, 2, 1), xv);
          NdArray ys = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n, 2, 3), yv);
          RunResult r =
              runner.run(
                  t,
                  RunRequest.create()
                      .withInput("X", xs)
                      .withInput("Y", ys)
                      .withOptions(RunOptions.defaults().withChunkBytes(48 + 48 * (rep % 3))))) {
        double[] o = r.output("o").toDoubles();
        for (int i = 0; i < n; i++) {
          double s = xv[2 * i] + xv[2 * i + 1];
          for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 3; k++) {
              assertThat(o[i * 6 + j * 3 + k]).isEqualTo(yv[i * 6 + j * 3 + k] + xv[i * 2 + j] + s);
            }
          }
        }
      }
    }
  }

  @Test
  void twoStreamedInputsThatNeedEachOtherDoNotDeadlock(@TempDir Path dir) {
    double[] s = new double[100];
    double[] u = new double[100];
    for (int i = 0; i < 100; i++) {
      s[i] = i;
      u[i] = 1;
    }
    try (NdArray sa = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(100), s);
        NdArray ua = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(100), u)) {
      NpyFiles.write(sa, dir.resolve("s.npy"));
      NpyFiles.write(ua, dir.resolve("u.npy"));
    }
    GraphBuilder g = GraphBuilder.create("crossed");
    Tensor st = g.input("S", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    Tensor ut = g.input("U", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    g.output("g", st.add(ut).sum());
    g.output("h", st.mul(ut.sum()).sum());
    try (RunResult r =
        runner.run(
            g.check(),
            RunRequest.create()
                .withInput("S", dir.resolve("s.npy"))
                .withInput("U", dir.resolve("u.npy"))
                .withOptions(
                    RunOptions.defaults().withChunkBytes(8).withTimeout(Duration.ofSeconds(30))))) {
      assertThat(r.output("g").getDouble(0)).isEqualTo(5050);
      assertThat(r.output("h").getDouble(0)).isEqualTo(495000);
    }
  }

  @Test
  void workThatDependsOnlyOnFixedValuesRunsOnceNotEveryIteration() {
    GraphBuilder g = GraphBuilder.create("hoist");
    Tensor x0 = g.input("x", DType.FLOAT64, Shape.of(4));
    Tensor a = g.input("A", DType.FLOAT64, Shape.of(4, 4));
    Loop loop = g.loop(10);
    Tensor x = loop.carry("x", x0);
    Tensor fixed = loop.fixed("A", a);
    Tensor scale = fixed.T().matmul(fixed).sum(); // invariant: depends only on A
    loop.update("x", x.add(scale.mul(0.001)));
    g.output("x", loop.end().get("x"));
    double[] av = ramp(16);
    double s = 0;
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        for (int k = 0; k < 4; k++) {
          s += av[k * 4 + i] * av[k * 4 + j];
        }
      }
    }
    try (NdArray xs = vector(0, 1, 2, 3);
        NdArray as = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(4, 4), av);
        RunResult r =
            runner.run(g.check(), RunRequest.create().withInput("x", xs).withInput("A", as))) {
      double expect = 0;
      for (int it = 0; it < 10; it++) {
        expect += s * 0.001;
      }
      assertThat(r.output("x").getDouble(0))
          .isCloseTo(expect, org.assertj.core.data.Offset.offset(1e-12));
      var sum = r.trace().node("loop_1/sum_1").orElseThrow();
      var add = r.trace().node("loop_1/add_1").orElseThrow();
      // a whole-array node runs as two tasks (compute, then cut into chunks): once, not 10 times
      assertThat(sum.calls()).as("invariant sum, computed once").isEqualTo(2);
      assertThat(add.calls()).as("the carried update, every iteration").isGreaterThanOrEqualTo(10);
      assertThat(r.trace().spans())
          .anyMatch(sp -> sp.thread().equals("loop_1 iterations") && sp.chunk() == -1);
    }
  }
}
