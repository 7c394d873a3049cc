package org.jetlag.runner.local.internal;

import java.util.List;
import org.jetlag.arrow.Chunk;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.kernels.Block;

/** Moves data between Arrow chunks and kernel blocks, and expands broadcast operands. */
final class Blocks {
  private Blocks() {}

  /** Reads {@code n} elements of a chunk starting at {@code from} into {@code dst[0..n)}. */
  static void load(Chunk c, long from, Block dst, int n) {
    if (dst.dtype().isFloating()) {
      c.getDoubles(from, dst.doubles(), 0, n);
    } else {
      c.getLongs(from, dst.longs(), 0, n);
    }
  }

  /** Writes {@code src[0..n)} into a chunk starting at {@code from}. */
  static void store(Block src, Chunk c, long from, int n) {
    if (src.dtype().isFloating()) {
      c.setDoubles(from, src.doubles(), 0, n);
    } else {
      c.setLongs(from, src.longs(), 0, n);
    }
  }

  /** A whole chunk as one block (chunks are at most a few MB). */
  static Block read(Chunk c) {
    long n = c.size();
    Block b = Block.allocate(c.dtype(), Math.toIntExact(n));
    load(c, 0, b, (int) n);
    return b;
  }

  private static final ThreadLocal<double[]> SCRATCH_D = new ThreadLocal<>();
  private static final ThreadLocal<long[]> SCRATCH_L = new ThreadLocal<>();

  /**
   * A whole chunk as a block backed by this thread's scratch array (reused while chunks keep the
   * same size, which saves allocating and zeroing a few MB per task). Only for kernels that do not
   * keep the block: the next call on this thread overwrites it.
   */
  static Block readScratch(Chunk c) {
    int n = Math.toIntExact(c.size());
    Block b;
    if (c.dtype().isFloating()) {
      double[] a = SCRATCH_D.get();
      if (a == null || a.length != n) {
        a = new double[n];
        SCRATCH_D.set(a);
      }
      b = Block.wrap(c.dtype(), a);
    } else {
      long[] a = SCRATCH_L.get();
      if (a == null || a.length != n) {
        a = new long[n];
        SCRATCH_L.set(a);
      }
      b = Block.wrap(c.dtype(), a);
    }
    load(c, 0, b, n);
    return b;
  }

  /** Concatenates chunks (in row order) into one block. */
  static Block gather(DType dtype, List<Chunk> chunks, String what) {
    long total = 0;
    for (Chunk c : chunks) {
      total += c.size();
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException(
          what
              + " needs the whole array in memory at once, but it has "
              + total
              + " elements (at most 2^31 fit)");
    }
    Block b = Block.allocate(dtype, (int) total);
    long at = 0;
    for (Chunk c : chunks) {
      int n = (int) c.size();
      if (dtype.isFloating()) {
        c.getDoubles(0, b.doubles(), (int) at, n);
      } else {
        c.getLongs(0, b.longs(), (int) at, n);
      }
      at += n;
    }
    return b;
  }

  /** Writes rows [rowStart, rowStart+rows) of a whole-array block into a new chunk. */
  static void fill(Block whole, Chunk dst, long elementOffset) {
    int n = (int) dst.size();
    if (whole.dtype().isFloating()) {
      dst.setDoubles(0, whole.doubles(), (int) elementOffset, n);
    } else {
      dst.setLongs(0, whole.longs(), (int) elementOffset, n);
    }
  }

  /**
   * Expands part of a broadcast operand: for output flat indices {@code [g0, g0+n)} of an output of
   * shape {@code out}, the matching elements of {@code src} (of shape {@code srcShape},
   * right-aligned, with length-1 dims repeated) into {@code dst[0..n)}.
   */
  static void broadcast(Block src, Shape srcShape, Shape out, long g0, Block dst, int n) {
    int r = out.rank();
    int off = r - srcShape.rank();
    long[] stride = new long[r];
    long[] dims = out.toArray();
    long s = 1;
    for (int i = srcShape.rank() - 1; i >= 0; i--) {
      long d = srcShape.dim(i);
      stride[i + off] = d == 1 ? 0 : s;
      s *= d;
    }
    long srcSize = s;
    // Fast path: the source is a trailing block of the output (row vector and alike).
    boolean suffix = true;
    for (int i = 0; i < srcShape.rank(); i++) {
      if (srcShape.dim(i) != dims[i + off]) {
        suffix = false;
        break;
      }
    }
    boolean fl = src.dtype().isFloating();
    if (suffix && srcSize > 0) {
      long pos = g0 % srcSize;
      int done = 0;
      while (done < n) {
        int len = (int) Math.min(n - done, srcSize - pos);
        if (fl) {
          System.arraycopy(src.doubles(), (int) pos, dst.doubles(), done, len);
        } else {
          System.arraycopy(src.longs(), (int) pos, dst.longs(), done, len);
        }
        done += len;
        pos = 0;
      }
      return;
    }
    long[] idx = new long[r];
    long rem = g0;
    for (int i = r - 1; i >= 0; i--) {
      idx[i] = dims[i] == 0 ? 0 : rem % dims[i];
      rem = dims[i] == 0 ? 0 : rem / dims[i];
    }
    long o = 0;
    for (int i = 0; i < r; i++) {
      o += idx[i] * stride[i];
    }
    double[] sd = fl ? src.doubles() : null;
    long[] sl = fl ? null : src.longs();
    for (int k = 0; k < n; k++) {
      if (fl) {
        dst.doubles()[k] = sd[(int) o];
      } else {
        dst.longs()[k] = sl[(int) o];
      }
      for (int i = r - 1; i >= 0; i--) {
        idx[i]++;
        o += stride[i];
        if (idx[i] < dims[i]) {
          break;
        }
        o -= idx[i] * stride[i];
        idx[i] = 0;
      }
    }
  }
}
