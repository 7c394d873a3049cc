package org.jetlag.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The dimensions of an array, rank 0 to {@value #MAX_RANK}; immutable and value-based.
 *
 * <p>A dimension of {@link #UNKNOWN} ({@code -1}, written {@code ?} and JSON {@code null}) is one
 * whose length is known only at run time. Graph inputs may declare it only in the leading position
 * (rows); inferred types carry it wherever it moves (a transpose puts it last).
 */
public final class Shape implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The highest rank an array may have. */
  public static final int MAX_RANK = 4;

  /** Marks a dimension whose length is known only at run time. */
  public static final long UNKNOWN = -1;

  /** The shape of a scalar. */
  public static final Shape SCALAR = new Shape(new long[0]);

  private final long[] dims;

  private Shape(long[] dims) {
    this.dims = dims;
  }

  /**
   * A shape with the given dimensions.
   *
   * @throws IllegalArgumentException if the rank exceeds {@value #MAX_RANK}, a dimension is
   *     negative (other than a leading {@link #UNKNOWN}), or the element count overflows a long
   */
  public static Shape of(long... dims) {
    long[] d = dims.clone();
    if (d.length > MAX_RANK) {
      throw new IllegalArgumentException(
          "rank " + d.length + " exceeds the maximum rank " + MAX_RANK + ": " + render(d));
    }
    for (int i = 0; i < d.length; i++) {
      if (d[i] < UNKNOWN) {
        throw new IllegalArgumentException("dimension " + i + " of " + render(d) + " is negative");
      }
    }
    long size = 1;
    for (long x : d) {
      if (x > 0) {
        try {
          size = Math.multiplyExact(size, x);
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException(
              "shape " + render(d) + " has more elements than fit in a 64-bit count", e);
        }
      }
    }
    return new Shape(d);
  }

  /** A shape from a list of dimensions. */
  public static Shape of(List<Long> dims) {
    return of(dims.stream().mapToLong(Long::longValue).toArray());
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** The length of dimension {@code axis} (may be {@link #UNKNOWN} for axis 0). */
  public long dim(int axis) {
    return dims[axis];
  }

  /** The dimensions as a fresh array. */
  public long[] toArray() {
    return dims.clone();
  }

  /** The dimensions as an immutable list. */
  public List<Long> toList() {
    List<Long> l = new ArrayList<>(dims.length);
    for (long d : dims) {
      l.add(d);
    }
    return List.copyOf(l);
  }

  /** True when every dimension is known. */
  public boolean isKnown() {
    for (long d : dims) {
      if (d == UNKNOWN) {
        return false;
      }
    }
    return true;
  }

  /** The element count, or empty when the leading dimension is unknown. */
  public Optional<Long> size() {
    if (!isKnown()) {
      return Optional.empty();
    }
    return Optional.of(knownSize());
  }

  /**
   * The element count of a fully known shape.
   *
   * @throws IllegalStateException if the leading dimension is unknown
   */
  public long knownSize() {
    if (!isKnown()) {
      throw new IllegalStateException("shape " + this + " has an unknown dimension");
    }
    long s = 1;
    for (long d : dims) {
      s *= d;
    }
    return s;
  }

  /** The element count of one slice along axis 0 (1 for a scalar), or -1 if unknown. */
  public long rowSize() {
    long s = 1;
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] == UNKNOWN) {
        return UNKNOWN;
      }
      s *= dims[i];
    }
    return s;
  }

  /** This shape with dimension {@code axis} replaced. */
  public Shape withDim(int axis, long length) {
    long[] d = dims.clone();
    d[axis] = length;
    return of(d);
  }

  /** This shape without its leading dimension. */
  public Shape dropLeading() {
    return of(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /**
   * NumPy broadcasting of two shapes.
   *
   * @return the broadcast shape, or empty when they are incompatible
   * @throws IllegalArgumentException if the broadcast shape's element count overflows a long
   */
  public static Optional<Shape> broadcast(Shape a, Shape b) {
    int r = Math.max(a.rank(), b.rank());
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long x = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
      long y = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
      if (x == y) {
        out[i] = x;
      } else if (x == 1) {
        out[i] = y;
      } else if (y == 1) {
        out[i] = x;
      } else if (x == UNKNOWN || y == UNKNOWN) {
        // Unknown against a known length n > 1: the run-time length must be n (or 1).
        out[i] = x == UNKNOWN ? y : x;
      } else {
        return Optional.empty();
      }
    }
    // of() checks the element count: [2^40,1] with [1,2^40] broadcasts to more than a long holds.
    return Optional.of(of(out));
  }

  /** Normalises a possibly negative axis against this rank, or returns -1 if out of range. */
  public int normaliseAxis(long axis) {
    long a = axis < 0 ? axis + dims.length : axis;
    return a < 0 || a >= dims.length ? -1 : (int) a;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Renders as {@code [?,128]}. */
  @Override
  public String toString() {
    return render(dims);
  }

  private static String render(long[] d) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < d.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(d[i] == UNKNOWN ? "?" : Long.toString(d[i]));
    }
    return sb.append(']').toString();
  }
}
