package org.jetlag.runner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Tensor;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.kernels.Block;
import org.jetlag.kernels.Elementwise;
import org.jetlag.kernels.Linalg;
import org.jetlag.kernels.Reductions;
import org.jetlag.kernels.ShapeKernels;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random graphs of elementwise chains with broadcasting, reductions and matrix products, run
 * on the local runner with many small chunks on two threads, and compared with a plain whole-array
 * evaluation through the kernels (no chunking, no fusion, explicit broadcasting).
 */
class RandomGraphRunTest {
  private BufferAllocator alloc;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  /** A value of the reference evaluation. */
  private record Ref(Block data, Shape shape) {}

  private static final OpKind.UnaryFn[] UNARY = {
    OpKind.UnaryFn.SIN,
    OpKind.UnaryFn.TANH,
    OpKind.UnaryFn.ABS,
    OpKind.UnaryFn.SQUARE,
    OpKind.UnaryFn.NEG,
    OpKind.UnaryFn.SIGMOID,
    OpKind.UnaryFn.EXP
  };
  private static final OpKind.BinaryFn[] BINARY = {
    OpKind.BinaryFn.ADD,
    OpKind.BinaryFn.SUB,
    OpKind.BinaryFn.MUL,
    OpKind.BinaryFn.MAXIMUM,
    OpKind.BinaryFn.MINIMUM
  };

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void randomGraphMatchesWholeArrayEvaluation(long seed) {
    Random rnd = new Random(seed);
    int n = 1 + rnd.nextInt(3000);
    int k = 1 + rnd.nextInt(5);
    GraphBuilder g = GraphBuilder.create("random-" + seed);
    Tensor x = g.input("x", DType.FLOAT64, Shape.of(Shape.UNKNOWN, k));
    Tensor row = g.input("row", DType.FLOAT64, Shape.of(k));
    Tensor col = g.input("col", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 1));
    double[] xv = values(rnd, n * k);
    double[] rv = values(rnd, k);
    double[] cv = values(rnd, n);
    Map<Tensor, Ref> ref = new LinkedHashMap<>();
    ref.put(x, new Ref(Block.wrap(DType.FLOAT64, xv), Shape.of(n, k)));
    ref.put(row, new Ref(Block.wrap(DType.FLOAT64, rv), Shape.of(k)));
    ref.put(col, new Ref(Block.wrap(DType.FLOAT64, cv), Shape.of(n, 1)));
    List<Tensor> pool = new ArrayList<>(List.of(x, row, col));
    List<Tensor> outputs = new ArrayList<>();
    int steps = 4 + rnd.nextInt(10);
    for (int s = 0; s < steps; s++) {
      Tensor a = pool.get(rnd.nextInt(pool.size()));
      Ref ra = ref.get(a);
      int choice = rnd.nextInt(10);
      Tensor t;
      Ref r;
      if (choice < 4) {
        OpKind.UnaryFn fn = UNARY[rnd.nextInt(UNARY.length)];
        if (fn == OpKind.UnaryFn.EXP) {
          a = a.tanh(); // keep exp bounded
          ra = unary(OpKind.UnaryFn.TANH, ra);
        }
        t = a.unary(fn.name().toLowerCase(java.util.Locale.ROOT));
        r = unary(fn, ra);
      } else if (choice < 8) {
        Tensor b = pool.get(rnd.nextInt(pool.size()));
        if (Shape.broadcast(ra.shape, ref.get(b).shape).isEmpty()) {
          b = a; // incompatible shapes: combine the operand with itself instead
        }
        OpKind.BinaryFn fn = BINARY[rnd.nextInt(BINARY.length)];
        t = g.op(fn.name().toLowerCase(java.util.Locale.ROOT), Map.of(), ordered("a", a, "b", b));
        r = binary(fn, ra, ref.get(b));
      } else if (choice < 9) {
        // reduction over rows (chunk partials) or over columns (per chunk), keepdims random
        boolean overRows = rnd.nextBoolean() || ra.shape.rank() < 2;
        boolean keep = rnd.nextBoolean();
        String op = rnd.nextBoolean() ? "sum" : rnd.nextBoolean() ? "mean" : "max";
        int axis = overRows ? 0 : 1;
        t = a.reduce(op, keep, axis);
        boolean[] red = new boolean[ra.shape.rank()];
        red[axis] = true;
        OpKind.ReduceFn fn = OpKind.ReduceFn.valueOf(op.toUpperCase(java.util.Locale.ROOT));
        Block out = Reductions.reduce(fn, ra.data, ra.shape, red, 0);
        long[] dims = ra.shape.toArray();
        dims[axis] = 1;
        Shape kept = Shape.of(dims);
        Shape shape = keep ? kept : reduced(ra.shape, axis);
        r = new Ref(out, shape);
      } else {
        // X.T @ X (the chunk-partial product) or X @ row (per chunk)
        if (rnd.nextBoolean()) {
          t = x.T().matmul(x);
          Block xt = ShapeKernels.transpose(ref.get(x).data, Shape.of(n, k), new int[] {1, 0});
          r =
              new Ref(
                  Linalg.matmul(xt, Shape.of(k, n), ref.get(x).data, Shape.of(n, k)),
                  Shape.of(k, k));
        } else {
          t = x.matmul(row);
          r =
              new Ref(
                  Linalg.matmul(ref.get(x).data, Shape.of(n, k), ref.get(row).data, Shape.of(k)),
                  Shape.of(n));
        }
      }
      assertThat(t.type()).isPresent();
      assertThat(t.type().get().shape().rank()).isEqualTo(r.shape.rank());
      ref.put(t, r);
      pool.add(t);
      if (rnd.nextInt(3) == 0 || s == steps - 1) {
        outputs.add(t);
      }
    }
    for (int i = 0; i < outputs.size(); i++) {
      g.output("o" + i, outputs.get(i));
    }
    try (LocalRunner runner = LocalRunner.withThreads(2, Long.MAX_VALUE);
        NdArray xn = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n, k), xv);
        NdArray rn = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(k), rv);
        NdArray cn = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(n, 1), cv);
        RunResult res =
            runner.run(
                g.check(),
                RunRequest.create()
                    .withInput("x", xn)
                    .withInput("row", rn)
                    .withInput("col", cn)
                    .withOptions(
                        RunOptions.defaults().withChunkBytes(8L * k * (1 + rnd.nextInt(64)))))) {
      for (int i = 0; i < outputs.size(); i++) {
        Ref want = ref.get(outputs.get(i));
        NdArray got = res.output("o" + i);
        assertThat(got.shape()).isEqualTo(want.shape);
        double[] a = got.toDoubles();
        for (int j = 0; j < a.length; j++) {
          double e = want.data.getAsDouble(j);
          assertThat(a[j])
              .as("seed %d output o%d[%d] of %s", seed, i, j, want.shape)
              .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(e))));
        }
      }
    }
  }

  private static Map<String, Tensor> ordered(String k1, Tensor v1, String k2, Tensor v2) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static Shape reduced(Shape s, int axis) {
    List<Long> d = new ArrayList<>(s.toList());
    d.remove(axis);
    return Shape.of(d);
  }

  private static double[] values(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  private static Ref unary(OpKind.UnaryFn fn, Ref a) {
    Block out = Block.allocate(DType.FLOAT64, a.data.length());
    Elementwise.unary(fn, a.data, out, a.data.length());
    return new Ref(out, a.shape);
  }

  private static Ref binary(OpKind.BinaryFn fn, Ref a, Ref b) {
    Shape s = Shape.broadcast(a.shape, b.shape).orElseThrow();
    Block x = ShapeKernels.broadcastTo(a.data, a.shape, s);
    Block y = ShapeKernels.broadcastTo(b.data, b.shape, s);
    Block out = Block.allocate(DType.FLOAT64, x.length());
    Elementwise.binary(fn, x, y, out, x.length());
    return new Ref(out, s);
  }
}
