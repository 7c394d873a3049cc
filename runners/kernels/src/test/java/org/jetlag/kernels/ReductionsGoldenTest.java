package org.jetlag.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.OpKind.ReduceFn;
import org.junit.jupiter.api.Test;

class ReductionsGoldenTest {
  private static final List<JsonNode> CASES = Goldens.cases("reductions.json");

  @Test
  void matchesNumpyOnEveryGolden() {
    List<String> failures = new ArrayList<>();
    Set<ReduceFn> seen = EnumSet.noneOf(ReduceFn.class);
    for (JsonNode c : CASES) {
      ReduceFn fn = ReduceFn.valueOf(c.get("fn").asText().toUpperCase(Locale.ROOT));
      seen.add(fn);
      Shape s = Goldens.shape(c.get("x"));
      Block x = Goldens.block(c.get("x"));
      boolean[] axes = Goldens.axes(c, s.rank());
      int ddof = c.get("ddof").asInt();
      String label = fn + " " + c.get("x").get("dtype").asText() + s + " axes " + c.get("axes");
      if (c.has("error")) {
        assertThatThrownBy(() -> Reductions.reduce(fn, x, s, axes, ddof))
            .as(label)
            .isInstanceOf(KernelException.class)
            .hasMessageContaining("zero-size array");
        continue;
      }
      String m =
          Goldens.mismatch(Reductions.reduce(fn, x, s, axes, ddof), c.get("out"), c.get("tol"));
      if (m != null) {
        failures.add(label + ": " + m);
      }
      // Every chunking along axis 0 must give the same result up to rounding.
      if (s.rank() >= 1 && s.dim(0) > 1) {
        for (int[] split : splits((int) s.dim(0))) {
          Block chunked = chunked(fn, x, s, axes, split, ddof);
          String mc = Goldens.mismatch(chunked, c.get("out"), c.get("tol"));
          if (mc != null) {
            failures.add(label + " chunked " + java.util.Arrays.toString(split) + ": " + mc);
          }
          Block again = chunked(fn, x, s, axes, split, ddof);
          if (!sameBits(chunked, again)) {
            failures.add(label + " not deterministic for " + java.util.Arrays.toString(split));
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(seen).as("every ReduceFn has goldens").containsExactlyInAnyOrder(ReduceFn.values());
  }

  /** Row counts per chunk: all ones, two uneven halves, and an uneven three-way split. */
  private static List<int[]> splits(int rows) {
    List<int[]> l = new ArrayList<>();
    int[] ones = new int[rows];
    java.util.Arrays.fill(ones, 1);
    l.add(ones);
    l.add(new int[] {1, rows - 1});
    if (rows >= 3) {
      l.add(new int[] {rows - 2, 0, 1, 1});
    }
    return l;
  }

  static Block chunked(ReduceFn fn, Block x, Shape s, boolean[] axes, int[] split, int ddof) {
    int rowSize = (int) s.rowSize();
    Reductions.Partial acc = null;
    int row = 0;
    for (int rows : split) {
      Block chunk = Block.allocate(x.dtype(), rows * rowSize);
      if (x.doubles() != null) {
        System.arraycopy(x.doubles(), row * rowSize, chunk.doubles(), 0, rows * rowSize);
      } else {
        System.arraycopy(x.longs(), row * rowSize, chunk.longs(), 0, rows * rowSize);
      }
      Reductions.Partial p = Reductions.partial(fn, chunk, s.withDim(0, rows), axes, row);
      acc = acc == null ? p : Reductions.combine(acc, p);
      row += rows;
    }
    return Reductions.finish(acc, ddof);
  }

  private static boolean sameBits(Block a, Block b) {
    for (int i = 0; i < a.length(); i++) {
      if (a.doubles() != null
          ? Double.doubleToRawLongBits(a.doubles()[i]) != Double.doubleToRawLongBits(b.doubles()[i])
          : a.longs()[i] != b.longs()[i]) {
        return false;
      }
    }
    return a.length() == b.length();
  }

  @Test
  void largeSumIsAccurateAndChunkIndependent() {
    int n = 1_000_003;
    Block x = Block.allocate(DType.FLOAT64, n);
    for (int i = 0; i < n; i++) {
      x.doubles()[i] = 0.1;
    }
    Shape s = Shape.of(n);
    double whole = Reductions.reduce(ReduceFn.SUM, x, s, new boolean[] {true}, 0).doubles()[0];
    assertThat(Math.abs(whole - n * 0.1) / (n * 0.1)).isLessThan(1e-13);
    double chunked =
        chunked(ReduceFn.SUM, x, s, new boolean[] {true}, new int[] {1000, 500_000, 499_003}, 0)
            .doubles()[0];
    assertThat(Math.abs(chunked - whole) / whole).isLessThan(1e-14);
  }

  @Test
  void varianceOfLargeOffsetIsStable() {
    Block x = Block.ofDoubles(DType.FLOAT64, 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16);
    Shape s = Shape.of(4);
    double v =
        chunked(ReduceFn.VAR, x, s, new boolean[] {true}, new int[] {1, 2, 1}, 0).doubles()[0];
    assertThat(v).isEqualTo(22.5);
  }

  @Test
  void sumThroughput() {
    int n = 20_000_000;
    Block x = Block.allocate(DType.FLOAT64, n);
    for (int i = 0; i < n; i++) {
      x.doubles()[i] = i & 1023;
    }
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < 10; rep++) {
      long t0 = System.nanoTime();
      Reductions.reduce(ReduceFn.SUM, x, Shape.of(n), new boolean[] {true}, 0);
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf("sum 20M float64: %.2f ms, %.1f GB/s%n", best / 1e6, 8.0 * n / best);
  }
}
