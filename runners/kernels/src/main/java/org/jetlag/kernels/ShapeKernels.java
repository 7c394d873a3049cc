package org.jetlag.kernels;

import java.util.ArrayList;
import java.util.List;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;

/**
 * Kernels that move elements without computing on them: transpose, slice, concat, stack and
 * broadcast. reshape, squeeze and expand_dims need no data movement (the flat row-major block is
 * unchanged) and have no kernel. Stateless and thread-safe.
 */
public final class ShapeKernels {
  private static final int TILE = 32;

  private ShapeKernels() {}

  /**
   * Permutes axes: axis {@code k} of the result is axis {@code perm[k]} of {@code x}. 2-D
   * transposes go tile by tile so both sides stay in cache.
   */
  public static Block transpose(Block x, Shape s, int[] perm) {
    int r = s.rank();
    if (perm.length != r) {
      throw new IllegalArgumentException(
          "transpose: expected a permutation of " + r + " axes, got " + perm.length);
    }
    long[] strides = strides(s);
    long[] dims = new long[r];
    long[] st = new long[r];
    for (int k = 0; k < r; k++) {
      dims[k] = s.dim(perm[k]);
      st[k] = strides[perm[k]];
    }
    if (r == 2 && perm[0] == 1) {
      return transpose2d(x, (int) s.dim(0), (int) s.dim(1));
    }
    return strided(x, 0, dims, st);
  }

  private static Block transpose2d(Block x, int rows, int cols) {
    Block out = Block.allocate(x.dtype(), x.length());
    if (x.doubles() != null) {
      double[] a = x.doubles();
      double[] o = out.doubles();
      for (int i0 = 0; i0 < rows; i0 += TILE) {
        int i1 = Math.min(rows, i0 + TILE);
        for (int j0 = 0; j0 < cols; j0 += TILE) {
          int j1 = Math.min(cols, j0 + TILE);
          for (int i = i0; i < i1; i++) {
            int base = i * cols;
            for (int j = j0; j < j1; j++) {
              o[j * rows + i] = a[base + j];
            }
          }
        }
      }
    } else {
      long[] a = x.longs();
      long[] o = out.longs();
      for (int i0 = 0; i0 < rows; i0 += TILE) {
        int i1 = Math.min(rows, i0 + TILE);
        for (int j0 = 0; j0 < cols; j0 += TILE) {
          int j1 = Math.min(cols, j0 + TILE);
          for (int i = i0; i < i1; i++) {
            int base = i * cols;
            for (int j = j0; j < j1; j++) {
              o[j * rows + i] = a[base + j];
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Selects elements per axis from {@code resolved[axis] = {start, step, length}} as returned by
   * {@link org.jetlag.graph.ops.SliceMath#resolve}.
   */
  public static Block slice(Block x, Shape s, long[][] resolved) {
    int r = s.rank();
    long[] strides = strides(s);
    long[] dims = new long[r];
    long[] st = new long[r];
    long offset = 0;
    for (int k = 0; k < r; k++) {
      dims[k] = resolved[k][2];
      st[k] = strides[k] * resolved[k][1];
      if (dims[k] > 0) {
        offset += resolved[k][0] * strides[k];
      }
    }
    return strided(x, offset, dims, st);
  }

  /**
   * Joins arrays along an existing axis; mixed dtypes are promoted as {@link DType#promote}.
   *
   * @return the joined array, whose shape is the first shape with {@code axis} summed
   */
  public static Block concat(List<Block> xs, List<Shape> shapes, int axis) {
    if (xs.isEmpty() || xs.size() != shapes.size()) {
      throw new IllegalArgumentException(
          "concat: expected as many shapes as arrays (at least one), got "
              + xs.size()
              + " and "
              + shapes.size());
    }
    DType dt = xs.get(0).dtype();
    for (Block b : xs) {
      dt = DType.promote(dt, b.dtype());
    }
    Shape first = shapes.get(0);
    long outer = 1;
    for (int k = 0; k < axis; k++) {
      outer *= first.dim(k);
    }
    long total = 0;
    int[] piece = new int[xs.size()];
    List<Block> conv = new ArrayList<>();
    for (int j = 0; j < xs.size(); j++) {
      Shape sj = shapes.get(j);
      long inner = 1;
      for (int k = axis; k < sj.rank(); k++) {
        inner *= sj.dim(k);
      }
      piece[j] = Math.toIntExact(inner);
      total += sj.knownSize();
      Block b = xs.get(j);
      if (b.dtype() != dt) {
        Block c = Block.allocate(dt, b.length());
        Elementwise.cast(b, c, b.length());
        b = c;
      }
      conv.add(b);
    }
    Block out = Block.allocate(dt, Math.toIntExact(total));
    Object dst = out.doubles() != null ? out.doubles() : out.longs();
    int pos = 0;
    for (long o = 0; o < outer; o++) {
      for (int j = 0; j < conv.size(); j++) {
        Block b = conv.get(j);
        Object src = b.doubles() != null ? b.doubles() : b.longs();
        System.arraycopy(src, (int) (o * piece[j]), dst, pos, piece[j]);
        pos += piece[j];
      }
    }
    return out;
  }

  /** Joins equally shaped arrays along a new axis at position {@code axis}. */
  public static Block stack(List<Block> xs, List<Shape> shapes, int axis) {
    List<Shape> expanded = new ArrayList<>();
    for (Shape s : shapes) {
      List<Long> d = new ArrayList<>(s.toList());
      d.add(axis, 1L);
      expanded.add(Shape.of(d));
    }
    return concat(xs, expanded, axis);
  }

  /** Expands {@code x} of shape {@code from} to {@code to} by NumPy broadcasting. */
  public static Block broadcastTo(Block x, Shape from, Shape to) {
    int r = to.rank();
    int shift = r - from.rank();
    if (shift < 0) {
      throw new IllegalArgumentException("broadcast: cannot broadcast " + from + " to " + to);
    }
    long[] fs = strides(from);
    long[] dims = to.toArray();
    long[] st = new long[r];
    for (int k = 0; k < r; k++) {
      int fk = k - shift;
      if (fk < 0) {
        st[k] = 0;
      } else if (from.dim(fk) == to.dim(k)) {
        st[k] = fs[fk];
      } else if (from.dim(fk) == 1) {
        st[k] = 0;
      } else {
        throw new IllegalArgumentException("broadcast: cannot broadcast " + from + " to " + to);
      }
    }
    return strided(x, 0, dims, st);
  }

  /** Row-major strides in elements. */
  static long[] strides(Shape s) {
    long[] st = new long[s.rank()];
    long acc = 1;
    for (int k = s.rank() - 1; k >= 0; k--) {
      st[k] = acc;
      acc *= s.dim(k);
    }
    return st;
  }

  /** Gathers a contiguous row-major result of {@code dims} from strided positions in {@code x}. */
  static Block strided(Block x, long offset, long[] dims, long[] st) {
    int r = dims.length;
    // Pad to rank 4 with leading length-1 axes.
    int[] d = new int[4];
    long[] s = new long[4];
    long size = 1;
    for (int k = 0; k < 4; k++) {
      int src = k - (4 - r);
      d[k] = src < 0 ? 1 : Math.toIntExact(dims[src]);
      s[k] = src < 0 ? 0 : st[src];
      size *= d[k];
    }
    Block out = Block.allocate(x.dtype(), Math.toIntExact(size));
    if (size == 0) {
      return out;
    }
    int p = 0;
    if (x.doubles() != null) {
      double[] a = x.doubles();
      double[] o = out.doubles();
      for (int i0 = 0; i0 < d[0]; i0++) {
        for (int i1 = 0; i1 < d[1]; i1++) {
          for (int i2 = 0; i2 < d[2]; i2++) {
            long base = offset + i0 * s[0] + i1 * s[1] + i2 * s[2];
            if (s[3] == 1) {
              System.arraycopy(a, (int) base, o, p, d[3]);
              p += d[3];
            } else {
              for (int i3 = 0; i3 < d[3]; i3++) {
                o[p++] = a[(int) (base + i3 * s[3])];
              }
            }
          }
        }
      }
    } else {
      long[] a = x.longs();
      long[] o = out.longs();
      for (int i0 = 0; i0 < d[0]; i0++) {
        for (int i1 = 0; i1 < d[1]; i1++) {
          for (int i2 = 0; i2 < d[2]; i2++) {
            long base = offset + i0 * s[0] + i1 * s[1] + i2 * s[2];
            if (s[3] == 1) {
              System.arraycopy(a, (int) base, o, p, d[3]);
              p += d[3];
            } else {
              for (int i3 = 0; i3 < d[3]; i3++) {
                o[p++] = a[(int) (base + i3 * s[3])];
              }
            }
          }
        }
      }
    }
    return out;
  }
}
