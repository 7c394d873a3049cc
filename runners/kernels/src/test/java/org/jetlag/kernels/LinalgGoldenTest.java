package org.jetlag.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.OpKind.LinalgFn;
import org.junit.jupiter.api.Test;

class LinalgGoldenTest {
  private static final List<JsonNode> CASES = Goldens.cases("linalg.json");

  @Test
  void matchesNumpyOnEveryGolden() {
    List<String> failures = new ArrayList<>();
    Set<LinalgFn> seen = EnumSet.noneOf(LinalgFn.class);
    for (JsonNode c : CASES) {
      String op = c.get("op").asText();
      LinalgFn fn = LinalgFn.valueOf(op.toUpperCase(java.util.Locale.ROOT));
      seen.add(fn);
      Block a = Goldens.block(c.get("a"));
      Shape sa = Goldens.shape(c.get("a"));
      Block b = c.has("b") ? Goldens.block(c.get("b")) : null;
      Shape sb = c.has("b") ? Goldens.shape(c.get("b")) : null;
      String label =
          op + " " + c.get("a").get("dtype").asText() + sa + (sb == null ? "" : " " + sb);
      java.util.function.Supplier<Block> run =
          () ->
              switch (fn) {
                case MATMUL -> Linalg.matmul(a, sa, b, sb);
                case DOT -> Linalg.dot(a, sa, b, sb);
                case OUTER -> Linalg.outer(a, b);
                case SOLVE -> Linalg.solve(a, sa, b, sb);
                case INVERSE -> Linalg.inverse(a, sa);
                case DET -> Linalg.det(a, sa);
                case NORM -> Linalg.norm(a, sa, Goldens.axes(c, sa.rank()), c.get("ord").asText());
              };
      if (c.has("error")) {
        assertThatThrownBy(run::get)
            .as(label)
            .isInstanceOf(KernelException.class)
            .hasMessageContaining("singular");
        continue;
      }
      String m = Goldens.mismatch(run.get(), c.get("out"), c.get("tol"));
      if (m != null) {
        failures.add(label + ": " + m);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(seen).as("every LinalgFn has goldens").containsExactlyInAnyOrder(LinalgFn.values());
  }

  @Test
  void blockedKernelMatchesNaiveProduct() {
    Random r = new Random(7);
    int m = 37;
    int k = 600;
    int n = 1100;
    double[] a = new double[m * k];
    double[] b = new double[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextGaussian();
    }
    double[] c = new double[m * n];
    Linalg.matmulRows(a, m, k, b, n, c);
    Block viaMatmul =
        Linalg.matmul(
            Block.wrap(DType.FLOAT64, a),
            Shape.of(m, k),
            Block.wrap(DType.FLOAT64, b),
            Shape.of(k, n));
    for (int i = 0; i < m; i += 5) {
      for (int j = 0; j < n; j += 7) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[i * k + p] * b[p * n + j];
        }
        assertThat(c[i * n + j]).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-10));
        assertThat(viaMatmul.doubles()[i * n + j]).isEqualTo(c[i * n + j]);
      }
    }
    // X.T @ Y summed over two row chunks equals the whole.
    double[] t = new double[k * n];
    int rows1 = 20;
    Linalg.transposeMatmul(
        java.util.Arrays.copyOfRange(a, 0, rows1 * k),
        rows1,
        k,
        java.util.Arrays.copyOfRange(c, 0, rows1 * n),
        n,
        t);
    Linalg.transposeMatmul(
        java.util.Arrays.copyOfRange(a, rows1 * k, m * k),
        m - rows1,
        k,
        java.util.Arrays.copyOfRange(c, rows1 * n, m * n),
        n,
        t);
    for (int p = 0; p < k; p += 50) {
      for (int j = 0; j < n; j += 50) {
        double s = 0;
        for (int i = 0; i < m; i++) {
          s += a[i * k + p] * c[i * n + j];
        }
        assertThat(t[p * n + j]).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
  }

  @Test
  void matmulThroughput() {
    int n = 1000;
    double[] a = new double[n * n];
    double[] b = new double[n * n];
    Random r = new Random(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextDouble();
      b[i] = r.nextDouble();
    }
    double[] c = new double[n * n];
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) {
      long t0 = System.nanoTime();
      Linalg.matmulRows(a, n, n, b, n, c);
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf(
        "matmul 1000x1000 float64, 1 thread: %.1f ms, %.2f GFLOP/s%n",
        best / 1e6, 2.0 * n * n * n / best);
  }
}
