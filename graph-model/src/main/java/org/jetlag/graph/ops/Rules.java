package org.jetlag.graph.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/** Type inference rules shared by the catalogue's ops. */
final class Rules {
  private Rules() {}

  static List<TensorType> one(TensorType t) {
    return List.of(t);
  }

  static DType numeric(TensorType t, String port) {
    if (!t.dtype().isNumeric()) {
      throw new OpTypeException(port, "expected a numeric dtype, got " + t);
    }
    return t.dtype();
  }

  static Shape broadcast(InferContext c, String... ports) {
    Shape s = c.in(ports[0]).shape();
    for (int i = 1; i < ports.length; i++) {
      Shape o = c.in(ports[i]).shape();
      Optional<Shape> b = Shape.broadcast(s, o);
      if (b.isEmpty()) {
        throw new OpTypeException(
            ports[i],
            "expected a shape that broadcasts with "
                + s
                + " (port '"
                + ports[0]
                + "'), got "
                + c.in(ports[i]));
      }
      s = b.get();
    }
    return s;
  }

  /** The axes a reduction covers, normalised and sorted; all axes when absent. */
  static boolean[] reducedAxes(InferContext c, Shape s) {
    boolean[] red = new boolean[s.rank()];
    Optional<List<Long>> axes = c.getLongs("axis");
    if (axes.isEmpty()) {
      java.util.Arrays.fill(red, true);
      return red;
    }
    for (long a : axes.get()) {
      int n = s.normaliseAxis(a);
      if (n < 0) {
        throw new OpTypeException(
            "axis", "expected an axis in [" + -s.rank() + ", " + s.rank() + "), got " + a);
      }
      if (red[n]) {
        throw new OpTypeException("axis", "axis " + a + " is listed twice");
      }
      red[n] = true;
    }
    return red;
  }

  static Shape reducedShape(Shape s, boolean[] red, boolean keepdims) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < s.rank(); i++) {
      if (!red[i]) {
        out.add(s.dim(i));
      } else if (keepdims) {
        out.add(1L);
      }
    }
    return Shape.of(out);
  }

  static int axis(InferContext c, String param, int rank) {
    long a = c.getLong(param);
    long n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank) {
      throw new OpTypeException(
          param, "expected an axis in [" + -rank + ", " + rank + "), got " + a);
    }
    return (int) n;
  }

  static boolean dimsMatch(long a, long b) {
    return a == b || a == Shape.UNKNOWN || b == Shape.UNKNOWN;
  }

  static long mul(long a, long b) {
    return a == Shape.UNKNOWN || b == Shape.UNKNOWN ? Shape.UNKNOWN : Math.multiplyExact(a, b);
  }

  static Shape checkedShape(String param, long... dims) {
    try {
      return Shape.of(dims);
    } catch (IllegalArgumentException e) {
      throw new OpTypeException(param, e.getMessage());
    }
  }

  /** NumPy {@code matmul} shape rules, with batch dimensions broadcast. */
  static TensorType matmul(InferContext c) {
    TensorType a = c.in("a");
    TensorType b = c.in("b");
    if (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL) {
      throw new OpTypeException(
          a.dtype() == DType.BOOL ? "a" : "b", "expected a numeric dtype, got bool");
    }
    DType dt = DType.promote(a.dtype(), b.dtype());
    Shape sa = a.shape();
    Shape sb = b.shape();
    if (sa.rank() == 0 || sb.rank() == 0) {
      throw new OpTypeException(
          sa.rank() == 0 ? "a" : "b", "expected an array of rank 1 or more, got a scalar");
    }
    long k1 = sa.dim(sa.rank() - 1);
    long k2 = sb.rank() == 1 ? sb.dim(0) : sb.dim(sb.rank() - 2);
    if (!dimsMatch(k1, k2)) {
      throw new OpTypeException(
          "b",
          "expected "
              + (sb.rank() == 1 ? "length " : "rows ")
              + k1
              + " to match the columns of 'a' "
              + a
              + ", got "
              + b);
    }
    if (sa.rank() == 1 && sb.rank() == 1) {
      return new TensorType(dt, Shape.SCALAR);
    }
    if (sa.rank() == 1) {
      long[] d = sb.toArray();
      long[] out = new long[d.length - 1];
      System.arraycopy(d, 0, out, 0, d.length - 2);
      out[out.length - 1] = d[d.length - 1];
      return new TensorType(dt, Shape.of(out));
    }
    if (sb.rank() == 1) {
      long[] d = sa.toArray();
      return new TensorType(dt, Shape.of(java.util.Arrays.copyOf(d, d.length - 1)));
    }
    Shape batchA = Shape.of(java.util.Arrays.copyOf(sa.toArray(), sa.rank() - 2));
    Shape batchB = Shape.of(java.util.Arrays.copyOf(sb.toArray(), sb.rank() - 2));
    Shape batch =
        Shape.broadcast(batchA, batchB)
            .orElseThrow(
                () ->
                    new OpTypeException(
                        "b", "expected batch dimensions that broadcast with " + a + ", got " + b));
    long[] out = java.util.Arrays.copyOf(batch.toArray(), batch.rank() + 2);
    out[batch.rank()] = sa.dim(sa.rank() - 2);
    out[batch.rank() + 1] = sb.dim(sb.rank() - 1);
    return new TensorType(dt, Shape.of(out));
  }

  static TensorType square(TensorType t, String port) {
    Shape s = t.shape();
    if (s.rank() != 2 || !dimsMatch(s.dim(0), s.dim(1))) {
      throw new OpTypeException(port, "expected a square matrix [n,n], got " + t);
    }
    numeric(t, port);
    return t;
  }

  /** Slice length for Python semantics with clamping, for a known dimension. */
  static long sliceLength(long dim, long start, long stop, long step) {
    if (dim == Shape.UNKNOWN) {
      return Shape.UNKNOWN;
    }
    long[] r = sliceBounds(dim, start, stop, step);
    long lo = r[0];
    long hi = r[1];
    // Written so that no intermediate overflows, even for a step of Long.MIN_VALUE or MAX_VALUE.
    if (step > 0) {
      return hi > lo ? (hi - lo - 1) / step + 1 : 0;
    }
    return lo > hi ? (hi - lo + 1) / step + 1 : 0;
  }

  /** Clamped {start, stop} for Python slice semantics. */
  static long[] sliceBounds(long dim, long start, long stop, long step) {
    long lo = start < 0 ? start + dim : start;
    long hi = stop < 0 ? stop + dim : stop;
    if (step > 0) {
      lo = Math.max(0, Math.min(lo, dim));
      hi = Math.max(0, Math.min(hi, dim));
    } else {
      lo = Math.max(-1, Math.min(lo, dim - 1));
      hi = Math.max(-1, Math.min(hi, dim - 1));
    }
    return new long[] {lo, hi};
  }
}
