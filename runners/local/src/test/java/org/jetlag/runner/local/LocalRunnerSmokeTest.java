package org.jetlag.runner.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Tensor;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalRunnerSmokeTest {
  private BufferAllocator alloc;
  private LocalRunner runner;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(Long.MAX_VALUE);
    runner = LocalRunner.withThreads(2, Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() {
    runner.close();
    alloc.close();
  }

  @Test
  void fusedChainAndSum() {
    GraphBuilder g = GraphBuilder.create("t");
    Tensor a = g.input("a", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    Tensor b = g.input("b", DType.FLOAT64, Shape.of(Shape.UNKNOWN));
    Tensor c = a.mul(b).add(2.0);
    g.output("c", c);
    g.output("s", c.sum());
    int n = 10_000;
    double[] av = new double[n];
    double[] bv = new double[n];
    for (int i = 0; i < n; i++) {
      av[i] = i;
      bv[i] = 0.5;
    }
    try (NdArray an = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n), av);
        NdArray bn = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n), bv);
        RunResult r =
            runner.run(
                g.check(),
                RunRequest.create()
                    .withInput("a", an)
                    .withInput("b", bn)
                    .withOptions(RunOptions.defaults().withChunkBytes(8 * 1000)))) {
      double[] cv = r.output("c").toDoubles();
      assertThat(cv[10]).isEqualTo(7.0);
      assertThat(r.output("c").chunks()).hasSize(10);
      double expect = 0;
      for (int i = 0; i < n; i++) {
        expect += i * 0.5 + 2;
      }
      assertThat(r.output("s").getDouble(0)).isEqualTo(expect);
      System.out.println(r.profile().table(20));
    }
  }
}
