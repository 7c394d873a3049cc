package org.jetlag.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.OpKind.ReduceFn;

/**
 * Reductions over axes, whole-array or as per-chunk partials for arrays chunked along axis 0.
 *
 * <p>{@link #reduce} is {@code finish(partial(x, rowOffset 0), ddof)}, so the whole-array and the
 * chunked paths share their code. Sums are pairwise along contiguous data (blocked along strided
 * data), var/std merge (count, mean, M2) with Chan's formula, logsumexp keeps (max, scaled sum),
 * min/max and argmin/argmax let the first NaN win. Results have the reduced shape without keepdims
 * and the catalogue's result dtype. Deterministic for a fixed chunking and combine order. Stateless
 * and thread-safe.
 */
public final class Reductions {
  private static final int PAIRWISE_BLOCK = 128;
  private static final int ROW_BLOCK = 128;

  private Reductions() {}

  /**
   * The partial result of one chunk (or of several combined): immutable once made.
   *
   * <p>When axis 0 is reduced, {@link Reductions#combine} merges partials elementwise; when it is
   * kept, it concatenates them along the leading axis of the result.
   */
  public static final class Partial {
    final ReduceFn fn;
    final DType in;
    final Shape shape;
    final boolean axis0Reduced;
    final long count;
    final double[] d1;
    final double[] d2;
    final long[] l1;
    final long[] l2;

    Partial(
        ReduceFn fn,
        DType in,
        Shape shape,
        boolean axis0Reduced,
        long count,
        double[] d1,
        double[] d2,
        long[] l1,
        long[] l2) {
      this.fn = fn;
      this.in = in;
      this.shape = shape;
      this.axis0Reduced = axis0Reduced;
      this.count = count;
      this.d1 = d1;
      this.d2 = d2;
      this.l1 = l1;
      this.l2 = l2;
    }

    /** The shape of the finished result (kept axes, without keepdims). */
    public Shape shape() {
      return shape;
    }

    /** The number of input elements reduced into each result element so far. */
    public long count() {
      return count;
    }

    /** Writes this partial (for runners that move partials between processes). */
    public void writeTo(java.io.DataOutput out) throws java.io.IOException {
      out.writeUTF(fn.name());
      out.writeUTF(in.name());
      out.writeInt(shape.rank());
      for (int i = 0; i < shape.rank(); i++) {
        out.writeLong(shape.dim(i));
      }
      out.writeBoolean(axis0Reduced);
      out.writeLong(count);
      writeDoubles(out, d1);
      writeDoubles(out, d2);
      writeLongs(out, l1);
      writeLongs(out, l2);
    }

    /** Reads a partial written by {@link #writeTo}. */
    public static Partial readFrom(java.io.DataInput in) throws java.io.IOException {
      ReduceFn fn = ReduceFn.valueOf(in.readUTF());
      DType dt = DType.valueOf(in.readUTF());
      long[] dims = new long[in.readInt()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = in.readLong();
      }
      boolean axis0 = in.readBoolean();
      long count = in.readLong();
      return new Partial(
          fn,
          dt,
          Shape.of(dims),
          axis0,
          count,
          readDoubles(in),
          readDoubles(in),
          readLongs(in),
          readLongs(in));
    }

    private static void writeDoubles(java.io.DataOutput out, double[] a)
        throws java.io.IOException {
      out.writeInt(a == null ? -1 : a.length);
      if (a != null) {
        for (double v : a) {
          out.writeLong(Double.doubleToRawLongBits(v));
        }
      }
    }

    private static void writeLongs(java.io.DataOutput out, long[] a) throws java.io.IOException {
      out.writeInt(a == null ? -1 : a.length);
      if (a != null) {
        for (long v : a) {
          out.writeLong(v);
        }
      }
    }

    private static double[] readDoubles(java.io.DataInput in) throws java.io.IOException {
      int n = in.readInt();
      if (n < 0) {
        return null;
      }
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = Double.longBitsToDouble(in.readLong());
      }
      return a;
    }

    private static long[] readLongs(java.io.DataInput in) throws java.io.IOException {
      int n = in.readInt();
      if (n < 0) {
        return null;
      }
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = in.readLong();
      }
      return a;
    }
  }

  /** The result dtype of {@code fn} on {@code in}, as the catalogue's rule. */
  public static DType resultType(ReduceFn fn, DType in) {
    return switch (fn) {
      case SUM, PROD -> in == DType.BOOL || in == DType.INT32 ? DType.INT64 : in;
      case MEAN, VAR, STD, LOGSUMEXP -> in.toFloating();
      case MIN, MAX -> in;
      case ARGMIN, ARGMAX -> DType.INT64;
      case ALL, ANY -> DType.BOOL;
    };
  }

  /**
   * Reduces {@code x} of {@code shape} over the axes flagged in {@code axes} (argmin/argmax: one
   * axis, or all for the flattened index).
   *
   * @throws KernelException for min, max, argmin or argmax of an empty reduction
   */
  public static Block reduce(ReduceFn fn, Block x, Shape shape, boolean[] axes, int ddof) {
    return finish(partial(fn, x, shape, axes, 0), ddof);
  }

  /**
   * The partial result of one chunk of rows {@code [rowOffset, rowOffset + chunkShape.dim(0))} of
   * the whole array (the offset only matters to argmin/argmax over axis 0).
   */
  public static Partial partial(
      ReduceFn fn, Block chunk, Shape chunkShape, boolean[] axes, long rowOffset) {
    Shape s = chunkShape;
    boolean[] red = axes.clone();
    if (s.rank() == 0) {
      s = Shape.of(1);
      red = new boolean[] {true};
    }
    if (red.length != s.rank()) {
      throw new IllegalArgumentException(
          Ops2.name(fn) + ": expected " + s.rank() + " axis flags, got " + red.length);
    }
    boolean arg = fn == ReduceFn.ARGMIN || fn == ReduceFn.ARGMAX;
    int nRed = 0;
    for (boolean b : red) {
      nRed += b ? 1 : 0;
    }
    if (arg && nRed != 1 && nRed != red.length) {
      throw new IllegalArgumentException(
          Ops2.name(fn) + ": expected one axis or all axes, got " + Arrays.toString(axes));
    }
    // Kept dimensions, in order: the result shape.
    List<Long> kept = new ArrayList<>();
    for (int k = 0; k < s.rank(); k++) {
      if (!red[k]) {
        kept.add(s.dim(k));
      }
    }
    Shape outShape = Shape.of(kept);
    int lo = -1;
    int hi = -1;
    for (int k = 0; k < red.length; k++) {
      if (red[k]) {
        lo = lo < 0 ? k : lo;
        hi = k + 1;
      }
    }
    boolean contiguous = true;
    for (int k = Math.max(lo, 0); k < hi; k++) {
      contiguous &= red[k];
    }
    Block x = chunk;
    long[] dims = s.toArray();
    long reducedAfterRow0 = 1;
    for (int k = 1; k < red.length; k++) {
      if (red[k]) {
        reducedAfterRow0 *= dims[k];
      }
    }
    boolean sumLike = fn == ReduceFn.SUM || fn == ReduceFn.MEAN;
    if (nRed == 0) {
      lo = s.rank();
      hi = s.rank();
    } else if (!contiguous || (hi < s.rank() && !sumLike)) {
      // Move the reduced axes last (keeping their order) so each result reduces one segment.
      int[] perm = new int[s.rank()];
      int p = 0;
      for (int k = 0; k < red.length; k++) {
        if (!red[k]) {
          perm[p++] = k;
        }
      }
      for (int k = 0; k < red.length; k++) {
        if (red[k]) {
          perm[p++] = k;
        }
      }
      x = ShapeKernels.transpose(chunk, s, perm);
      long[] nd = new long[dims.length];
      for (int k = 0; k < perm.length; k++) {
        nd[k] = dims[perm[k]];
      }
      dims = nd;
      lo = s.rank() - nRed;
      hi = s.rank();
    }
    int outer = 1;
    int r = 1;
    int inner = 1;
    for (int k = 0; k < dims.length; k++) {
      int d = Math.toIntExact(dims[k]);
      if (k < lo) {
        outer *= d;
      } else if (k < hi) {
        r *= d;
      } else {
        inner *= d;
      }
    }
    long indexOffset = red[0] ? rowOffset * reducedAfterRow0 : 0;
    return compute(fn, x, outShape, red[0], outer, r, inner, indexOffset);
  }

  private static Partial compute(
      ReduceFn fn,
      Block x,
      Shape outShape,
      boolean axis0Reduced,
      int outer,
      int r,
      int inner,
      long indexOffset) {
    int m = outer * inner;
    DType in = x.dtype();
    boolean fl = in.isFloating();
    double[] d1 = null;
    double[] d2 = null;
    long[] l1 = null;
    long[] l2 = null;
    switch (fn) {
      case SUM, MEAN -> {
        if (fl || fn == ReduceFn.MEAN) {
          double[] v = Elementwise.doublesOf(x, x.length());
          d1 = inner == 1 ? segmentSums(v, outer, r) : rowSums(v, outer, r, inner);
        } else {
          l1 = new long[m];
          long[] v = x.longs();
          for (int o = 0; o < outer; o++) {
            for (int k = 0; k < r; k++) {
              int base = (o * r + k) * inner;
              for (int i = 0; i < inner; i++) {
                l1[o * inner + i] += v[base + i];
              }
            }
          }
        }
      }
      case PROD -> {
        if (fl) {
          double[] v = x.doubles();
          d1 = new double[m];
          for (int o = 0; o < m; o++) {
            double p = 1;
            for (int k = 0; k < r; k++) {
              p *= v[o * r + k];
            }
            d1[o] = p;
          }
        } else {
          long[] v = x.longs();
          l1 = new long[m];
          for (int o = 0; o < m; o++) {
            long p = 1;
            for (int k = 0; k < r; k++) {
              p *= v[o * r + k];
            }
            l1[o] = p;
          }
        }
      }
      case VAR, STD -> {
        double[] v = Elementwise.doublesOf(x, x.length());
        d1 = new double[m];
        d2 = new double[m];
        for (int o = 0; o < m; o++) {
          if (r == 0) {
            continue;
          }
          double mean = pairwise(v, o * r, r, 0, false) / r;
          d1[o] = mean;
          d2[o] = pairwise(v, o * r, r, mean, true);
        }
      }
      case MIN, MAX -> {
        boolean max = fn == ReduceFn.MAX;
        if (fl) {
          double[] v = x.doubles();
          d1 = new double[m];
          for (int o = 0; o < m && r > 0; o++) {
            double best = v[o * r];
            if (max) {
              for (int k = 1; k < r; k++) {
                best = Math.max(best, v[o * r + k]);
              }
            } else {
              for (int k = 1; k < r; k++) {
                best = Math.min(best, v[o * r + k]);
              }
            }
            d1[o] = best;
          }
        } else {
          long[] v = x.longs();
          l1 = new long[m];
          for (int o = 0; o < m && r > 0; o++) {
            long best = v[o * r];
            for (int k = 1; k < r; k++) {
              best = max ? Math.max(best, v[o * r + k]) : Math.min(best, v[o * r + k]);
            }
            l1[o] = best;
          }
        }
      }
      case ARGMIN, ARGMAX -> {
        boolean max = fn == ReduceFn.ARGMAX;
        l2 = new long[m];
        if (fl) {
          double[] v = x.doubles();
          d1 = new double[m];
          for (int o = 0; o < m && r > 0; o++) {
            int base = o * r;
            double best = v[base];
            int bi = 0;
            for (int k = 1; k < r && !Double.isNaN(best); k++) {
              double c = v[base + k];
              if (Double.isNaN(c) || (max ? c > best : c < best)) {
                best = c;
                bi = k;
              }
            }
            d1[o] = best;
            l2[o] = bi + indexOffset;
          }
        } else {
          long[] v = x.longs();
          l1 = new long[m];
          for (int o = 0; o < m && r > 0; o++) {
            int base = o * r;
            long best = v[base];
            int bi = 0;
            for (int k = 1; k < r; k++) {
              long c = v[base + k];
              if (max ? c > best : c < best) {
                best = c;
                bi = k;
              }
            }
            l1[o] = best;
            l2[o] = bi + indexOffset;
          }
        }
      }
      case ALL, ANY -> {
        boolean all = fn == ReduceFn.ALL;
        long[] t = Elementwise.truth(x, x.length());
        l1 = new long[m];
        for (int o = 0; o < m; o++) {
          long acc = all ? 1 : 0;
          for (int k = 0; k < r; k++) {
            acc = all ? acc & t[o * r + k] : acc | t[o * r + k];
          }
          l1[o] = acc;
        }
      }
      case LOGSUMEXP -> {
        double[] v = Elementwise.doublesOf(x, x.length());
        d1 = new double[m];
        d2 = new double[m];
        for (int o = 0; o < m; o++) {
          double mx = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < r; k++) {
            mx = Math.max(mx, v[o * r + k]);
          }
          double sh = shift(mx);
          double s = 0;
          for (int k = 0; k < r; k++) {
            s += Math.exp(v[o * r + k] - sh);
          }
          d1[o] = mx;
          d2[o] = s;
        }
      }
    }
    return new Partial(fn, in, outShape, axis0Reduced, r, d1, d2, l1, l2);
  }

  /**
   * Merges the partials of two consecutive row ranges, {@code earlier} first.
   *
   * @throws IllegalArgumentException if they come from different reductions
   */
  public static Partial combine(Partial earlier, Partial later) {
    Partial a = earlier;
    Partial b = later;
    if (a.fn != b.fn || a.in != b.in || a.axis0Reduced != b.axis0Reduced) {
      throw new IllegalArgumentException(
          "combine: partials of different reductions (" + a.fn + " vs " + b.fn + ")");
    }
    if (!a.axis0Reduced) {
      long[] d = a.shape.toArray();
      d[0] += b.shape.dim(0);
      return new Partial(
          a.fn,
          a.in,
          Shape.of(d),
          false,
          a.count,
          cat(a.d1, b.d1),
          cat(a.d2, b.d2),
          cat(a.l1, b.l1),
          cat(a.l2, b.l2));
    }
    if (!a.shape.equals(b.shape)) {
      throw new IllegalArgumentException(
          "combine: partials of different shapes " + a.shape + " and " + b.shape);
    }
    if (b.count == 0) {
      return a;
    }
    if (a.count == 0) {
      return b;
    }
    long n = a.count + b.count;
    int m = Math.toIntExact(a.shape.knownSize());
    double[] d1 = null;
    double[] d2 = null;
    long[] l1 = null;
    long[] l2 = null;
    switch (a.fn) {
      case SUM, MEAN -> {
        if (a.d1 != null) {
          d1 = new double[m];
          for (int i = 0; i < m; i++) {
            d1[i] = a.d1[i] + b.d1[i];
          }
        } else {
          l1 = new long[m];
          for (int i = 0; i < m; i++) {
            l1[i] = a.l1[i] + b.l1[i];
          }
        }
      }
      case PROD -> {
        if (a.d1 != null) {
          d1 = new double[m];
          for (int i = 0; i < m; i++) {
            d1[i] = a.d1[i] * b.d1[i];
          }
        } else {
          l1 = new long[m];
          for (int i = 0; i < m; i++) {
            l1[i] = a.l1[i] * b.l1[i];
          }
        }
      }
      case VAR, STD -> {
        d1 = new double[m];
        d2 = new double[m];
        double na = a.count;
        double nb = b.count;
        for (int i = 0; i < m; i++) {
          double delta = b.d1[i] - a.d1[i];
          d1[i] = a.d1[i] + delta * (nb / n);
          d2[i] = a.d2[i] + b.d2[i] + delta * delta * (na * nb / n);
        }
      }
      case MIN, MAX -> {
        boolean max = a.fn == ReduceFn.MAX;
        if (a.d1 != null) {
          d1 = new double[m];
          for (int i = 0; i < m; i++) {
            d1[i] = max ? Math.max(a.d1[i], b.d1[i]) : Math.min(a.d1[i], b.d1[i]);
          }
        } else {
          l1 = new long[m];
          for (int i = 0; i < m; i++) {
            l1[i] = max ? Math.max(a.l1[i], b.l1[i]) : Math.min(a.l1[i], b.l1[i]);
          }
        }
      }
      case ARGMIN, ARGMAX -> {
        boolean max = a.fn == ReduceFn.ARGMAX;
        l2 = new long[m];
        if (a.d1 != null) {
          d1 = new double[m];
          for (int i = 0; i < m; i++) {
            double va = a.d1[i];
            double vb = b.d1[i];
            boolean takeB = !Double.isNaN(va) && (Double.isNaN(vb) || (max ? vb > va : vb < va));
            d1[i] = takeB ? vb : va;
            l2[i] = takeB ? b.l2[i] : a.l2[i];
          }
        } else {
          l1 = new long[m];
          for (int i = 0; i < m; i++) {
            boolean takeB = max ? b.l1[i] > a.l1[i] : b.l1[i] < a.l1[i];
            l1[i] = takeB ? b.l1[i] : a.l1[i];
            l2[i] = takeB ? b.l2[i] : a.l2[i];
          }
        }
      }
      case ALL, ANY -> {
        l1 = new long[m];
        for (int i = 0; i < m; i++) {
          l1[i] = a.fn == ReduceFn.ALL ? a.l1[i] & b.l1[i] : a.l1[i] | b.l1[i];
        }
      }
      case LOGSUMEXP -> {
        d1 = new double[m];
        d2 = new double[m];
        for (int i = 0; i < m; i++) {
          double mx = Math.max(a.d1[i], b.d1[i]);
          double sh = shift(mx);
          d1[i] = mx;
          d2[i] = rescale(a.d2[i], a.d1[i], sh) + rescale(b.d2[i], b.d1[i], sh);
        }
      }
    }
    return new Partial(a.fn, a.in, a.shape, true, n, d1, d2, l1, l2);
  }

  /**
   * The final values of a partial, in the catalogue's result dtype.
   *
   * @param ddof delta degrees of freedom for var and std (ignored otherwise)
   * @throws KernelException for min, max, argmin or argmax of an empty reduction
   */
  public static Block finish(Partial p, int ddof) {
    int m = Math.toIntExact(p.shape.knownSize());
    DType rt = resultType(p.fn, p.in);
    Block out = Block.allocate(rt, m);
    return switch (p.fn) {
      case SUM, PROD -> {
        if (p.d1 != null) {
          System.arraycopy(p.d1, 0, out.doubles(), 0, m);
          roundIfFloat(out);
        } else {
          System.arraycopy(p.l1, 0, out.longs(), 0, m);
        }
        yield out;
      }
      case MEAN -> {
        for (int i = 0; i < m; i++) {
          out.doubles()[i] = p.d1[i] / p.count;
        }
        yield roundIfFloat(out);
      }
      case VAR, STD -> {
        double div = Math.max(p.count - ddof, 0);
        for (int i = 0; i < m; i++) {
          double v = p.count == 0 ? Double.NaN : p.d2[i] / div;
          out.doubles()[i] = p.fn == ReduceFn.STD ? Math.sqrt(v) : v;
        }
        yield roundIfFloat(out);
      }
      case MIN, MAX -> {
        checkNotEmpty(p, m);
        if (p.d1 != null) {
          System.arraycopy(p.d1, 0, out.doubles(), 0, m);
        } else {
          System.arraycopy(p.l1, 0, out.longs(), 0, m);
        }
        yield out;
      }
      case ARGMIN, ARGMAX -> {
        checkNotEmpty(p, m);
        System.arraycopy(p.l2, 0, out.longs(), 0, m);
        yield out;
      }
      case ALL, ANY -> {
        System.arraycopy(p.l1, 0, out.longs(), 0, m);
        yield out;
      }
      case LOGSUMEXP -> {
        for (int i = 0; i < m; i++) {
          double mx = p.d1[i];
          out.doubles()[i] = Double.isNaN(mx) ? mx : Math.log(p.d2[i]) + shift(mx);
        }
        yield roundIfFloat(out);
      }
    };
  }

  private static void checkNotEmpty(Partial p, int m) {
    if (p.count == 0 && m > 0) {
      throw new KernelException(
          Ops2.name(p.fn)
              + ": zero-size array to reduction operation "
              + Ops2.name(p.fn)
              + " which has no identity");
    }
  }

  private static Block roundIfFloat(Block out) {
    if (out.dtype() == DType.FLOAT32) {
      Elementwise.roundToFloat(out.doubles(), out.length());
    }
    return out;
  }

  /** The shift logsumexp subtracts: the maximum when finite, else 0. */
  private static double shift(double max) {
    return Double.isFinite(max) ? max : 0.0;
  }

  private static double rescale(double s, double max, double newShift) {
    return s == 0 ? 0 : s * Math.exp(shift(max) - newShift);
  }

  private static double[] segmentSums(double[] v, int segments, int len) {
    double[] out = new double[segments];
    for (int o = 0; o < segments; o++) {
      out[o] = pairwise(v, o * len, len, 0, false);
    }
    return out;
  }

  /** Sums over the middle axis of [outer, r, inner]: rows added in blocks, then the blocks. */
  private static double[] rowSums(double[] v, int outer, int r, int inner) {
    double[] out = new double[outer * inner];
    double[] tmp = new double[inner];
    for (int o = 0; o < outer; o++) {
      int ob = o * inner;
      for (int k0 = 0; k0 < r; k0 += ROW_BLOCK) {
        int k1 = Math.min(r, k0 + ROW_BLOCK);
        Arrays.fill(tmp, 0.0);
        for (int k = k0; k < k1; k++) {
          int base = (o * r + k) * inner;
          for (int i = 0; i < inner; i++) {
            tmp[i] += v[base + i];
          }
        }
        for (int i = 0; i < inner; i++) {
          out[ob + i] += tmp[i];
        }
      }
    }
    return out;
  }

  /**
   * Pairwise sum of {@code v[off, off+n)} (or of squared deviations from {@code mean}), with eight
   * accumulators in blocks of {@value #PAIRWISE_BLOCK}, as NumPy does.
   */
  static double pairwise(double[] v, int off, int n, double mean, boolean sq) {
    if (n <= PAIRWISE_BLOCK) {
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      double s4 = 0;
      double s5 = 0;
      double s6 = 0;
      double s7 = 0;
      int i = 0;
      if (sq) {
        for (; i + 8 <= n; i += 8) {
          int p = off + i;
          double e0 = v[p] - mean;
          double e1 = v[p + 1] - mean;
          double e2 = v[p + 2] - mean;
          double e3 = v[p + 3] - mean;
          double e4 = v[p + 4] - mean;
          double e5 = v[p + 5] - mean;
          double e6 = v[p + 6] - mean;
          double e7 = v[p + 7] - mean;
          s0 += e0 * e0;
          s1 += e1 * e1;
          s2 += e2 * e2;
          s3 += e3 * e3;
          s4 += e4 * e4;
          s5 += e5 * e5;
          s6 += e6 * e6;
          s7 += e7 * e7;
        }
      } else {
        for (; i + 8 <= n; i += 8) {
          int p = off + i;
          s0 += v[p];
          s1 += v[p + 1];
          s2 += v[p + 2];
          s3 += v[p + 3];
          s4 += v[p + 4];
          s5 += v[p + 5];
          s6 += v[p + 6];
          s7 += v[p + 7];
        }
      }
      double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
      for (; i < n; i++) {
        double e = sq ? v[off + i] - mean : v[off + i];
        s += sq ? e * e : e;
      }
      return s;
    }
    int half = (n / 2) & ~7;
    return pairwise(v, off, half, mean, sq) + pairwise(v, off + half, n - half, mean, sq);
  }

  private static double[] cat(double[] a, double[] b) {
    if (a == null) {
      return null;
    }
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static long[] cat(long[] a, long[] b) {
    if (a == null) {
      return null;
    }
    long[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
