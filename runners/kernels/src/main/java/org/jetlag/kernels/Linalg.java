package org.jetlag.kernels;

import java.util.Arrays;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.OpKind.ReduceFn;

/**
 * Linear algebra in pure Java: matmul (NumPy rules, blocked kernel), dot, outer, LU-based solve,
 * inverse and det, and elementwise p-norms.
 *
 * <p>Integer matmul, dot and outer stay integer (wrapping like NumPy); the others compute in
 * float64 and round to float32 when the result is float32. Stateless and thread-safe.
 */
public final class Linalg {
  /** Columns of b kept hot in cache per pass. */
  private static final int NC = 512;

  /** Rows of b (depth) per pass. */
  private static final int KC = 256;

  private Linalg() {}

  /** The result shape of {@code a @ b} (callers have validated the shapes). */
  public static Shape matmulShape(Shape sa, Shape sb) {
    if (sa.rank() == 1 && sb.rank() == 1) {
      return Shape.SCALAR;
    }
    long[] a = sa.rank() == 1 ? new long[] {1, sa.dim(0)} : sa.toArray();
    long[] b = sb.rank() == 1 ? new long[] {sb.dim(0), 1} : sb.toArray();
    Shape ba = Shape.of(Arrays.copyOf(a, a.length - 2));
    Shape bb = Shape.of(Arrays.copyOf(b, b.length - 2));
    Shape batch =
        Shape.broadcast(ba, bb)
            .orElseThrow(
                () -> new IllegalArgumentException("matmul: batch dims " + sa + " vs " + sb));
    long[] out = Arrays.copyOf(batch.toArray(), batch.rank() + 2);
    out[batch.rank()] = a[a.length - 2];
    out[batch.rank() + 1] = b[b.length - 1];
    if (sa.rank() == 1) {
      return dropAxis(out, out.length - 2);
    }
    if (sb.rank() == 1) {
      return dropAxis(out, out.length - 1);
    }
    return Shape.of(out);
  }

  private static Shape dropAxis(long[] d, int axis) {
    long[] o = new long[d.length - 1];
    for (int i = 0, j = 0; i < d.length; i++) {
      if (i != axis) {
        o[j++] = d[i];
      }
    }
    return Shape.of(o);
  }

  /**
   * {@code a @ b} with NumPy matmul semantics: 1-D operands promoted (and the added axis removed),
   * batch dimensions broadcast; the dtype is the promoted input dtype.
   */
  public static Block matmul(Block a, Shape sa, Block b, Shape sb) {
    if (sa.rank() == 0 || sb.rank() == 0) {
      throw new IllegalArgumentException("matmul: expected arrays of rank 1 or more");
    }
    long[] da = sa.rank() == 1 ? new long[] {1, sa.dim(0)} : sa.toArray();
    long[] db = sb.rank() == 1 ? new long[] {sb.dim(0), 1} : sb.toArray();
    int m = (int) da[da.length - 2];
    int k = (int) da[da.length - 1];
    int k2 = (int) db[db.length - 2];
    int n = (int) db[db.length - 1];
    if (k != k2) {
      throw new IllegalArgumentException("matmul: inner dimensions differ, " + sa + " @ " + sb);
    }
    Shape outShape = matmulShape(sa, sb);
    DType dt = DType.promote(a.dtype(), b.dtype());
    Shape batchA = Shape.of(Arrays.copyOf(da, da.length - 2));
    Shape batchB = Shape.of(Arrays.copyOf(db, db.length - 2));
    Shape batch = Shape.broadcast(batchA, batchB).orElseThrow();
    int nb = Math.toIntExact(batch.knownSize());
    Block out = Block.allocate(dt, Math.toIntExact((long) nb * m * n));
    long[] offA = batchOffsets(batchA, batch, (long) m * k);
    long[] offB = batchOffsets(batchB, batch, (long) k * n);
    if (dt.isFloating()) {
      double[] x = Elementwise.doublesOf(a, a.length());
      double[] y = Elementwise.doublesOf(b, b.length());
      double[] o = out.doubles();
      double[] c = new double[m * n];
      for (int t = 0; t < nb; t++) {
        double[] xa = offA[t] == 0 && x.length == m * k ? x : slice(x, offA[t], m * k);
        double[] yb = offB[t] == 0 && y.length == k * n ? y : slice(y, offB[t], k * n);
        Arrays.fill(c, 0.0);
        multiply(xa, m, k, yb, n, c);
        System.arraycopy(c, 0, o, t * m * n, m * n);
      }
      if (dt == DType.FLOAT32) {
        Elementwise.roundToFloat(o, o.length);
      }
    } else {
      long[] x = a.longs();
      long[] y = b.longs();
      long[] o = out.longs();
      for (int t = 0; t < nb; t++) {
        int ao = (int) offA[t];
        int bo = (int) offB[t];
        int co = t * m * n;
        for (int i = 0; i < m; i++) {
          for (int p = 0; p < k; p++) {
            long av = x[ao + i * k + p];
            int br = bo + p * n;
            for (int j = 0; j < n; j++) {
              o[co + i * n + j] += av * y[br + j];
            }
          }
        }
      }
      Elementwise.wrap(o, o.length, dt);
    }
    assert outShape.knownSize() == out.length();
    return out;
  }

  private static double[] slice(double[] v, long off, int len) {
    return Arrays.copyOfRange(v, (int) off, (int) off + len);
  }

  /** Element offsets of each broadcast batch's matrix in an operand with batch dims {@code of}. */
  private static long[] batchOffsets(Shape of, Shape batch, long matrixSize) {
    int nb = Math.toIntExact(batch.knownSize());
    long[] offs = new long[nb];
    int r = batch.rank();
    int shift = r - of.rank();
    long[] strides = new long[r];
    long acc = matrixSize;
    for (int d = of.rank() - 1; d >= 0; d--) {
      strides[d + shift] = of.dim(d) == 1 ? 0 : acc;
      acc *= of.dim(d);
    }
    for (int t = 0; t < nb; t++) {
      long rem = t;
      long off = 0;
      for (int d = r - 1; d >= 0; d--) {
        long idx = rem % batch.dim(d);
        rem /= batch.dim(d);
        off += idx * strides[d];
      }
      offs[t] = off;
    }
    return offs;
  }

  /**
   * {@code out[rows x n] = a[rows x k] @ b[k x n]}, row-major, overwriting {@code out}; the runner
   * calls this on row chunks of {@code a} in parallel.
   */
  public static void matmulRows(double[] a, int rows, int k, double[] b, int n, double[] out) {
    Arrays.fill(out, 0, rows * n, 0.0);
    multiply(a, rows, k, b, n, out);
  }

  /**
   * {@code out[k x n] += a[rows x k]^T @ b[rows x n]} for two row-aligned chunks; the runner sums
   * these partials for {@code X.T @ r}.
   */
  public static void transposeMatmul(double[] a, int rows, int k, double[] b, int n, double[] out) {
    if (n == 1) {
      // X.T @ r: four rows per update of the k sums, which stay in L1
      int r = 0;
      for (; r + 4 <= rows; r += 4) {
        double b0 = b[r];
        double b1 = b[r + 1];
        double b2 = b[r + 2];
        double b3 = b[r + 3];
        int a0 = r * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int p = 0; p < k; p++) {
          out[p] += a[a0 + p] * b0 + a[a1 + p] * b1 + a[a2 + p] * b2 + a[a3 + p] * b3;
        }
      }
      for (; r < rows; r++) {
        double br = b[r];
        int ar = r * k;
        for (int p = 0; p < k; p++) {
          out[p] += a[ar + p] * br;
        }
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      int ar = r * k;
      int br = r * n;
      for (int p = 0; p < k; p++) {
        double av = a[ar + p];
        int orow = p * n;
        for (int j = 0; j < n; j++) {
          out[orow + j] += av * b[br + j];
        }
      }
    }
  }

  /**
   * Accumulates {@code c += a @ b}: blocks of b (KC x NC) stay in cache while every row of a
   * streams past; four rows of b per pass halve the loads and stores of c.
   */
  private static void multiply(double[] a, int m, int k, double[] b, int n, double[] c) {
    if (n == 1) {
      // matrix-vector: four rows at a time, so four independent sums are in flight
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int p = 0; p < k; p++) {
          double bp = b[p];
          s0 += a[a0 + p] * bp;
          s1 += a[a1 + p] * bp;
          s2 += a[a2 + p] * bp;
          s3 += a[a3 + p] * bp;
        }
        c[i] += s0;
        c[i + 1] += s1;
        c[i + 2] += s2;
        c[i + 3] += s3;
      }
      for (; i < m; i++) {
        int ar = i * k;
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[ar + p] * b[p];
        }
        c[i] += s;
      }
      return;
    }
    for (int j0 = 0; j0 < n; j0 += NC) {
      int j1 = Math.min(n, j0 + NC);
      for (int p0 = 0; p0 < k; p0 += KC) {
        int p1 = Math.min(k, p0 + KC);
        for (int i = 0; i < m; i++) {
          int ar = i * k;
          int cr = i * n;
          int p = p0;
          for (; p + 4 <= p1; p += 4) {
            double a0 = a[ar + p];
            double a1 = a[ar + p + 1];
            double a2 = a[ar + p + 2];
            double a3 = a[ar + p + 3];
            int b0 = p * n;
            int b1 = b0 + n;
            int b2 = b1 + n;
            int b3 = b2 + n;
            for (int j = j0; j < j1; j++) {
              c[cr + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
            }
          }
          for (; p < p1; p++) {
            double a0 = a[ar + p];
            int b0 = p * n;
            for (int j = j0; j < j1; j++) {
              c[cr + j] += a0 * b[b0 + j];
            }
          }
        }
      }
    }
  }

  /** {@code numpy.dot} for operands of rank 1 or 2 (the same as matmul there). */
  public static Block dot(Block a, Shape sa, Block b, Shape sb) {
    if (sa.rank() > 2 || sb.rank() > 2) {
      throw new IllegalArgumentException("dot: expected rank at most 2, got " + sa + ", " + sb);
    }
    return matmul(a, sa, b, sb);
  }

  /** {@code out[i, j] = a[i] * b[j]} over both arrays flattened, in the promoted dtype. */
  public static Block outer(Block a, Block b) {
    int m = a.length();
    int n = b.length();
    DType dt = DType.promote(a.dtype(), b.dtype());
    Block out = Block.allocate(dt, Math.multiplyExact(m, n));
    if (dt.isFloating()) {
      double[] x = Elementwise.doublesOf(a, m);
      double[] y = Elementwise.doublesOf(b, n);
      double[] o = out.doubles();
      for (int i = 0; i < m; i++) {
        double v = x[i];
        for (int j = 0; j < n; j++) {
          o[i * n + j] = v * y[j];
        }
      }
      if (dt == DType.FLOAT32) {
        Elementwise.roundToFloat(o, o.length);
      }
    } else {
      long[] x = a.longs();
      long[] y = b.longs();
      long[] o = out.longs();
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          o[i * n + j] = x[i] * y[j];
        }
      }
      Elementwise.wrap(o, o.length, dt);
    }
    return out;
  }

  /** LU factors with partial pivoting, in place. */
  private static final class Lu {
    final double[] lu;
    final int[] piv;
    final int n;
    int sign = 1;
    int singularAt = -1;

    Lu(double[] a, int n) {
      this.lu = a;
      this.n = n;
      this.piv = new int[n];
      for (int c = 0; c < n; c++) {
        int p = c;
        double best = Math.abs(lu[c * n + c]);
        for (int r = c + 1; r < n; r++) {
          double v = Math.abs(lu[r * n + c]);
          if (v > best) {
            best = v;
            p = r;
          }
        }
        piv[c] = p;
        if (p != c) {
          sign = -sign;
          for (int j = 0; j < n; j++) {
            double t = lu[c * n + j];
            lu[c * n + j] = lu[p * n + j];
            lu[p * n + j] = t;
          }
        }
        double d = lu[c * n + c];
        if (d == 0) {
          if (singularAt < 0) {
            singularAt = c;
          }
          continue;
        }
        for (int r = c + 1; r < n; r++) {
          double f = lu[r * n + c] / d;
          lu[r * n + c] = f;
          if (f != 0) {
            for (int j = c + 1; j < n; j++) {
              lu[r * n + j] -= f * lu[c * n + j];
            }
          }
        }
      }
    }

    /** Solves in place for the {@code cols} right-hand sides in {@code x[n x cols]}. */
    void solve(double[] x, int cols, String op) {
      if (singularAt >= 0) {
        throw new KernelException(op + ": matrix is singular (pivot 0 at row " + singularAt + ")");
      }
      for (int c = 0; c < n; c++) {
        int p = piv[c];
        if (p != c) {
          for (int j = 0; j < cols; j++) {
            double t = x[c * cols + j];
            x[c * cols + j] = x[p * cols + j];
            x[p * cols + j] = t;
          }
        }
      }
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < r; c++) {
          double f = lu[r * n + c];
          if (f != 0) {
            for (int j = 0; j < cols; j++) {
              x[r * cols + j] -= f * x[c * cols + j];
            }
          }
        }
      }
      for (int r = n - 1; r >= 0; r--) {
        for (int c = r + 1; c < n; c++) {
          double f = lu[r * n + c];
          if (f != 0) {
            for (int j = 0; j < cols; j++) {
              x[r * cols + j] -= f * x[c * cols + j];
            }
          }
        }
        double d = lu[r * n + r];
        for (int j = 0; j < cols; j++) {
          x[r * cols + j] /= d;
        }
      }
    }
  }

  private static double[] copyDoubles(Block x) {
    double[] d = Elementwise.doublesOf(x, x.length());
    return d == x.doubles() ? d.clone() : d;
  }

  /**
   * Solves {@code a @ x = b} for square {@code a} [n,n] and {@code b} [n] or [n,k].
   *
   * @throws KernelException if {@code a} is singular
   */
  public static Block solve(Block a, Shape sa, Block b, Shape sb) {
    int n = (int) sa.dim(0);
    int cols = sb.rank() == 1 ? 1 : (int) sb.dim(1);
    Lu lu = new Lu(copyDoubles(a), n);
    double[] x = copyDoubles(b);
    lu.solve(x, cols, "solve");
    DType dt = DType.promote(a.dtype(), b.dtype()).toFloating();
    Block out = Block.wrap(dt, x);
    if (dt == DType.FLOAT32) {
      Elementwise.roundToFloat(x, x.length);
    }
    return out;
  }

  /**
   * The inverse of a square matrix [n,n].
   *
   * @throws KernelException if it is singular
   */
  public static Block inverse(Block a, Shape sa) {
    int n = (int) sa.dim(0);
    Lu lu = new Lu(copyDoubles(a), n);
    double[] x = new double[n * n];
    for (int i = 0; i < n; i++) {
      x[i * n + i] = 1;
    }
    lu.solve(x, n, "inverse");
    DType dt = a.dtype().toFloating();
    if (dt == DType.FLOAT32) {
      Elementwise.roundToFloat(x, x.length);
    }
    return Block.wrap(dt, x);
  }

  /** The determinant of a square matrix [n,n] (1 for n = 0, 0 when singular), as a scalar. */
  public static Block det(Block a, Shape sa) {
    int n = (int) sa.dim(0);
    Lu lu = new Lu(copyDoubles(a), n);
    double d = lu.sign;
    for (int i = 0; i < n; i++) {
      d *= lu.lu[i * n + i];
    }
    return Block.ofDoubles(a.dtype().toFloating(), d);
  }

  /**
   * The p-norm of the elements over the flagged axes: {@code "2"} sqrt of the sum of squares (the
   * Frobenius norm over all axes of a matrix), {@code "1"} sum of absolute values, {@code "inf"}
   * the largest absolute value. NaN propagates.
   */
  public static Block norm(Block x, Shape s, boolean[] axes, String ord) {
    DType ft = x.dtype().toFloating();
    Block v = Block.allocate(DType.FLOAT64, x.length());
    double[] src = Elementwise.doublesOf(x, x.length());
    double[] d = v.doubles();
    boolean two = ord.equals("2");
    for (int i = 0; i < d.length; i++) {
      d[i] = two ? src[i] * src[i] : Math.abs(src[i]);
    }
    Block r;
    switch (ord) {
      case "2" -> {
        r = Reductions.reduce(ReduceFn.SUM, v, s, axes, 0);
        double[] rd = r.doubles();
        for (int i = 0; i < rd.length; i++) {
          rd[i] = Math.sqrt(rd[i]);
        }
      }
      case "1" -> r = Reductions.reduce(ReduceFn.SUM, v, s, axes, 0);
      case "inf" -> r = Reductions.reduce(ReduceFn.MAX, v, s, axes, 0);
      default -> throw new IllegalArgumentException("norm: ord must be 2, 1 or inf, got " + ord);
    }
    if (ft == DType.FLOAT32) {
      Block f = Block.allocate(ft, r.length());
      Elementwise.cast(r, f, r.length());
      return f;
    }
    return r;
  }
}
