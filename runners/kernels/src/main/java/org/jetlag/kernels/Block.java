package org.jetlag.kernels;

import java.util.Objects;
import org.jetlag.graph.DType;

/**
 * A flat row-major array of one dtype: float64 and float32 values in a {@code double[]}, int64,
 * int32 and bool in a {@code long[]}.
 *
 * <p>float32 values are kept rounded to float precision, int32 values wrapped to 32 bits and bools
 * as 0 or 1; kernels keep these invariants for every block they write. A block is mutable scratch
 * memory and not thread-safe.
 */
public final class Block {
  private final DType dtype;
  private final int length;
  private final double[] doubles;
  private final long[] longs;

  private Block(DType dtype, int length, double[] doubles, long[] longs) {
    this.dtype = dtype;
    this.length = length;
    this.doubles = doubles;
    this.longs = longs;
  }

  /** A zero-filled block of {@code length} elements. */
  public static Block allocate(DType dtype, int length) {
    Objects.requireNonNull(dtype, "dtype");
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    return dtype.isFloating()
        ? new Block(dtype, length, new double[length], null)
        : new Block(dtype, length, null, new long[length]);
  }

  /**
   * A block holding {@code v} converted to {@code dtype} as NumPy's {@code astype} does (float32
   * rounded, integers truncated toward zero and wrapped, bool as {@code v != 0}).
   */
  public static Block ofDoubles(DType dtype, double... v) {
    Block b = allocate(dtype, v.length);
    for (int i = 0; i < v.length; i++) {
      b.setDouble(i, v[i]);
    }
    return b;
  }

  /**
   * A block holding {@code v} converted to {@code dtype} (int32 wrapped, bool as {@code v != 0}).
   */
  public static Block ofLongs(DType dtype, long... v) {
    Block b = allocate(dtype, v.length);
    for (int i = 0; i < v.length; i++) {
      b.setLong(i, v[i]);
    }
    return b;
  }

  /**
   * Wraps an existing array without copying; the caller keeps the dtype invariants (float32
   * rounded).
   */
  public static Block wrap(DType dtype, double[] values) {
    if (!dtype.isFloating()) {
      throw new IllegalArgumentException("expected a floating dtype for double[], got " + dtype);
    }
    return new Block(dtype, values.length, values, null);
  }

  /**
   * Wraps an existing array without copying; the caller keeps the dtype invariants (int32 wrapped,
   * bool 0/1).
   */
  public static Block wrap(DType dtype, long[] values) {
    if (dtype.isFloating()) {
      throw new IllegalArgumentException("expected an int or bool dtype for long[], got " + dtype);
    }
    return new Block(dtype, values.length, null, values);
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The number of elements. */
  public int length() {
    return length;
  }

  /** The backing values, non-null iff the dtype is floating. */
  @SuppressWarnings("mutable") // scratch memory shared with kernels on purpose
  public double[] doubles() {
    return doubles;
  }

  /** The backing values, non-null iff the dtype is int or bool. */
  public long[] longs() {
    return longs;
  }

  /** Element {@code i} as a double. */
  public double getAsDouble(int i) {
    return doubles != null ? doubles[i] : (double) longs[i];
  }

  /** Element {@code i} as a long (floating values truncated toward zero, as a cast). */
  public long getAsLong(int i) {
    return doubles != null ? Convert.doubleToLong(doubles[i], DType.INT64) : longs[i];
  }

  /** Stores {@code v} at {@code i}, converted to this block's dtype as {@link #ofDoubles}. */
  public void setDouble(int i, double v) {
    if (doubles != null) {
      doubles[i] = dtype == DType.FLOAT32 ? (double) (float) v : v;
    } else {
      longs[i] = Convert.doubleToLong(v, dtype);
    }
  }

  /** Stores {@code v} at {@code i}, converted to this block's dtype as {@link #ofLongs}. */
  public void setLong(int i, long v) {
    if (doubles != null) {
      doubles[i] = dtype == DType.FLOAT32 ? (double) (float) v : (double) v;
    } else {
      longs[i] = Convert.wrapLong(v, dtype);
    }
  }

  /** A copy of this block's dtype and values. */
  public Block copy() {
    return new Block(
        dtype,
        length,
        doubles == null ? null : doubles.clone(),
        longs == null ? null : longs.clone());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(dtype.wireName()).append('[');
    for (int i = 0; i < Math.min(length, 8); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(doubles != null ? Double.toString(doubles[i]) : Long.toString(longs[i]));
    }
    return sb.append(length > 8 ? ", ...]" : "]").toString();
  }
}
