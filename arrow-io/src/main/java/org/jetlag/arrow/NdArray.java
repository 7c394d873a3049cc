package org.jetlag.arrow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/**
 * An n-dimensional array stored as {@link Chunk}s along axis 0, each chunk one contiguous row-major
 * Arrow buffer.
 *
 * <p>The array has exactly one owner, who must {@link #close()} it (idempotent); closing frees
 * every chunk. The shape is always fully known. An array with zero rows has no chunks; a rank-0
 * array has one chunk of one element. Not thread-safe for writes.
 */
public final class NdArray implements AutoCloseable {
  private static final int MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;

  private final DType dtype;
  private final Shape shape;
  private final List<Chunk> chunks;

  /** First flat element index of each chunk, for the slow-path accessors. */
  private final long[] starts;

  private final long size;
  private boolean closed;

  private NdArray(DType dtype, Shape shape, List<Chunk> chunks) {
    this.dtype = dtype;
    this.shape = shape;
    this.chunks = Collections.unmodifiableList(new ArrayList<>(chunks));
    this.size = shape.knownSize();
    this.starts = new long[chunks.size()];
    long rowSize = shape.rowSize();
    for (int i = 0; i < starts.length; i++) {
      starts[i] = chunks.get(i).rowStart() * rowSize;
    }
  }

  /**
   * A zero-filled array split into chunks of {@code rowsPerChunk} rows (the last may be shorter).
   *
   * @throws IllegalArgumentException if the shape has an unknown dimension or {@code rowsPerChunk <
   *     1}
   */
  public static NdArray allocate(
      BufferAllocator alloc, DType dtype, Shape shape, long rowsPerChunk) {
    Objects.requireNonNull(alloc, "alloc");
    Objects.requireNonNull(dtype, "dtype");
    checkKnown(shape);
    if (rowsPerChunk < 1) {
      throw new IllegalArgumentException("rowsPerChunk must be >= 1, got " + rowsPerChunk);
    }
    List<Chunk> chunks = new ArrayList<>();
    try {
      if (shape.rank() == 0) {
        chunks.add(Chunk.allocate(alloc, dtype, shape, 0));
      } else {
        long rows = shape.dim(0);
        for (long r = 0; r < rows; r += rowsPerChunk) {
          long n = Math.min(rowsPerChunk, rows - r);
          chunks.add(Chunk.allocate(alloc, dtype, shape.withDim(0, n), r));
        }
      }
    } catch (RuntimeException e) {
      chunks.forEach(Chunk::close);
      throw e;
    }
    return new NdArray(dtype, shape, chunks);
  }

  /**
   * An array made of {@code chunks}, taking ownership of them (also when this throws: the chunks
   * are then closed).
   *
   * @throws IllegalArgumentException unless the chunks have this dtype and the row shape of {@code
   *     shape}, and cover rows {@code 0..shape.dim(0)} contiguously in order
   */
  public static NdArray of(DType dtype, Shape shape, List<Chunk> chunks) {
    List<Chunk> copy = new ArrayList<>(chunks);
    try {
      Objects.requireNonNull(dtype, "dtype");
      checkKnown(shape);
      long rows = shape.rank() == 0 ? 1 : shape.dim(0);
      long next = 0;
      for (int i = 0; i < copy.size(); i++) {
        Chunk c = Objects.requireNonNull(copy.get(i), "chunk");
        String where = "chunk " + i + " (" + c + ") of " + dtype + shape;
        if (c.isClosed()) {
          throw new IllegalArgumentException(where + " is closed");
        }
        if (c.dtype() != dtype) {
          throw new IllegalArgumentException(where + ": expected dtype " + dtype);
        }
        if (c.shape().rank() != shape.rank()
            || (shape.rank() > 0 && !c.shape().dropLeading().equals(shape.dropLeading()))) {
          throw new IllegalArgumentException(
              where + ": expected row shape of " + shape + ", got " + c.shape());
        }
        if (c.rowStart() != next) {
          throw new IllegalArgumentException(
              where + ": expected rowStart " + next + ", got " + c.rowStart());
        }
        next += c.rows();
      }
      if (next != rows) {
        throw new IllegalArgumentException(
            "chunks of " + dtype + shape + " cover " + next + " rows, expected " + rows);
      }
    } catch (RuntimeException e) {
      copy.forEach(c -> c.close());
      throw e;
    }
    return new NdArray(dtype, shape, copy);
  }

  /** A one-chunk array holding {@code values} (row-major) converted to {@code dtype}. */
  public static NdArray fromDoubles(
      BufferAllocator alloc, DType dtype, Shape shape, double[] values) {
    NdArray a = single(alloc, dtype, shape, values.length);
    if (!a.chunks.isEmpty()) {
      a.chunks.get(0).setDoubles(0, values, 0, values.length);
    }
    return a;
  }

  /** A one-chunk array holding {@code values} (row-major) converted to {@code dtype}. */
  public static NdArray fromLongs(BufferAllocator alloc, DType dtype, Shape shape, long[] values) {
    NdArray a = single(alloc, dtype, shape, values.length);
    if (!a.chunks.isEmpty()) {
      a.chunks.get(0).setLongs(0, values, 0, values.length);
    }
    return a;
  }

  private static NdArray single(BufferAllocator alloc, DType dtype, Shape shape, int length) {
    checkKnown(shape);
    if (shape.knownSize() != length) {
      throw new IllegalArgumentException(
          "shape " + shape + " has " + shape.knownSize() + " elements, got " + length + " values");
    }
    long rows = shape.rank() == 0 ? 1 : shape.dim(0);
    return allocate(alloc, dtype, shape, Math.max(1, rows));
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The shape, fully known. */
  public Shape shape() {
    return shape;
  }

  /** The dtype and shape. */
  public TensorType type() {
    return new TensorType(dtype, shape);
  }

  /** The number of elements. */
  public long size() {
    return size;
  }

  /** The bytes of element data over all chunks. */
  public long byteSize() {
    return size * dtype.byteWidth();
  }

  /** The chunks in row order (unmodifiable); still owned by this array. */
  public List<Chunk> chunks() {
    return chunks;
  }

  /** Element {@code flatIndex} (row-major over the whole array) as a double. */
  public double getDouble(long flatIndex) {
    int c = chunkOf(flatIndex);
    return chunks.get(c).getDouble(flatIndex - starts[c]);
  }

  /** Element {@code flatIndex} (row-major over the whole array) as a long. */
  public long getLong(long flatIndex) {
    int c = chunkOf(flatIndex);
    return chunks.get(c).getLong(flatIndex - starts[c]);
  }

  /**
   * A copy of all elements as doubles, row-major.
   *
   * @throws IllegalStateException if the array has more elements than a Java array can hold
   */
  public double[] toDoubles() {
    double[] out = new double[checkedJavaLength()];
    for (int i = 0; i < starts.length; i++) {
      Chunk c = chunks.get(i);
      c.getDoubles(0, out, (int) starts[i], (int) c.size());
    }
    return out;
  }

  /**
   * A copy of all elements as longs, row-major.
   *
   * @throws IllegalStateException if the array has more elements than a Java array can hold
   */
  public long[] toLongs() {
    long[] out = new long[checkedJavaLength()];
    for (int i = 0; i < starts.length; i++) {
      Chunk c = chunks.get(i);
      c.getLongs(0, out, (int) starts[i], (int) c.size());
    }
    return out;
  }

  /** True once {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /** Frees every chunk; later calls do nothing. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      chunks.forEach(Chunk::close);
    }
  }

  @Override
  public String toString() {
    return "NdArray[" + type() + ", " + chunks.size() + " chunks]";
  }

  private int checkedJavaLength() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    if (size > MAX_JAVA_ARRAY) {
      throw new IllegalStateException(
          "array " + type() + " has " + size + " elements, more than a Java array can hold");
    }
    return (int) size;
  }

  private int chunkOf(long flatIndex) {
    Objects.checkIndex(flatIndex, size);
    int lo = 0;
    int hi = starts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= flatIndex) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    // Skip empty chunks that share a start with the next one.
    while (lo + 1 < starts.length && starts[lo + 1] <= flatIndex) {
      lo++;
    }
    return lo;
  }

  private static void checkKnown(Shape shape) {
    Objects.requireNonNull(shape, "shape");
    if (!shape.isKnown()) {
      throw new IllegalArgumentException("shape " + shape + " must be fully known");
    }
  }
}
