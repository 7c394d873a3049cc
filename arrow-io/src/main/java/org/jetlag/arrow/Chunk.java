package org.jetlag.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.internal.Convert;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;

/**
 * Rows {@code [rowStart, rowStart + rows)} of an array along axis 0, stored as one contiguous
 * row-major little-endian Arrow buffer that this chunk owns.
 *
 * <p>Bool elements take one byte each (0 or 1), as in NumPy. Element indices in the accessors are
 * flat within the chunk. The bulk accessors ({@link #getDoubles}, {@link #setDoubles}, {@link
 * #getLongs}, {@link #setLongs}) are the fast path and convert between the chunk's dtype and the
 * Java primitive like NumPy's {@code astype}:
 *
 * <ul>
 *   <li>to double: integers to the nearest double, bool to 0/1, float32 widened exactly;
 *   <li>from double: float32 rounds to nearest; integers truncate toward zero, and NaN, infinities
 *       and values outside int64 give the type's minimum value (as x86 NumPy does); int32 wraps
 *       values inside int64's range; bool is {@code x != 0} (NaN is true);
 *   <li>to long: integers and bool exact, floats as "from double to int64" above;
 *   <li>from long: int32 wraps, bool is {@code x != 0}, floats round to nearest.
 * </ul>
 *
 * <p>A chunk is not thread-safe for writes; concurrent reads of a chunk nobody writes are safe.
 * {@link #close()} frees the buffer and is idempotent.
 */
public final class Chunk implements AutoCloseable {
  /** Largest element count handed to one NIO view (keeps byte lengths inside an int). */
  private static final int SEGMENT = 1 << 27;

  /** Below this many elements, element-wise access beats creating an NIO view. */
  private static final int SMALL = 16;

  private final DType dtype;
  private final Shape shape;
  private final long rowStart;
  private final long rows;
  private final long size;
  private final long byteSize;
  private final ArrowBuf buf;
  private boolean closed;

  private Chunk(DType dtype, Shape shape, long rowStart, long rows, long size, ArrowBuf buf) {
    this.dtype = dtype;
    this.shape = shape;
    this.rowStart = rowStart;
    this.rows = rows;
    this.size = size;
    this.byteSize = size * dtype.byteWidth();
    this.buf = buf;
  }

  /**
   * A zero-filled chunk holding rows {@code [rowStart, rowStart + chunkShape.dim(0))}.
   *
   * @param chunkShape the shape of this chunk alone (its leading dimension is its row count); must
   *     be fully known. A rank-0 shape gives a one-element chunk with {@code rowStart} 0.
   * @throws IllegalArgumentException if the shape has an unknown dimension or {@code rowStart} is
   *     negative (or not 0 for rank 0)
   * @throws org.apache.arrow.memory.OutOfMemoryException if the allocator's limit is exceeded
   */
  public static Chunk allocate(
      BufferAllocator alloc, DType dtype, Shape chunkShape, long rowStart) {
    return allocate(alloc, dtype, chunkShape, rowStart, true);
  }

  /**
   * Like {@link #allocate} but without zero-filling: the contents are unspecified until written.
   * For producers that write every element, it saves a pass over memory.
   */
  public static Chunk allocateUninitialized(
      BufferAllocator alloc, DType dtype, Shape chunkShape, long rowStart) {
    return allocate(alloc, dtype, chunkShape, rowStart, false);
  }

  private static Chunk allocate(
      BufferAllocator alloc, DType dtype, Shape chunkShape, long rowStart, boolean zero) {
    Objects.requireNonNull(alloc, "alloc");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(chunkShape, "chunkShape");
    if (!chunkShape.isKnown()) {
      throw new IllegalArgumentException("chunk shape " + chunkShape + " has an unknown dimension");
    }
    if (rowStart < 0 || (chunkShape.rank() == 0 && rowStart != 0)) {
      throw new IllegalArgumentException(
          "rowStart " + rowStart + " is invalid for a chunk of shape " + chunkShape);
    }
    long size = chunkShape.knownSize();
    long bytes;
    try {
      bytes = Math.multiplyExact(size, (long) dtype.byteWidth());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "chunk " + dtype + chunkShape + " has more bytes than fit in a long", e);
    }
    long rows = chunkShape.rank() == 0 ? 1 : chunkShape.dim(0);
    ArrowBuf buf = alloc.buffer(bytes);
    if (zero) {
      try {
        buf.setZero(0, bytes);
      } catch (RuntimeException e) {
        buf.close();
        throw e;
      }
    }
    return new Chunk(dtype, chunkShape, rowStart, rows, size, buf);
  }

  /**
   * A view of rows {@code [fromRow, fromRow + count)} of this chunk, sharing its memory (no copy),
   * labelled as starting at row {@code newRowStart} of its array. The view holds its own reference
   * to the memory: close it independently; the memory is freed when both are closed.
   *
   * @throws IllegalArgumentException if the rows are out of range or this is a rank-0 chunk
   */
  public Chunk sliceRows(long fromRow, long count, long newRowStart) {
    checkOpen();
    if (shape.rank() == 0
        || fromRow < 0
        || count < 0
        || fromRow + count > rows
        || newRowStart < 0) {
      throw new IllegalArgumentException(
          "rows [" + fromRow + ", " + (fromRow + count) + ") are not inside " + this);
    }
    long row = shape.rowSize() * dtype.byteWidth();
    buf.getReferenceManager().retain();
    ArrowBuf s = buf.slice(fromRow * row, count * row);
    Shape sub = shape.withDim(0, count);
    return new Chunk(dtype, sub, newRowStart, count, sub.knownSize(), s);
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The shape of this chunk alone; its leading dimension is {@link #rows()}. */
  public Shape shape() {
    return shape;
  }

  /** The index along axis 0 of the array of this chunk's first row. */
  public long rowStart() {
    return rowStart;
  }

  /** The number of rows (1 for a rank-0 chunk). */
  public long rows() {
    return rows;
  }

  /** The number of elements. */
  public long size() {
    return size;
  }

  /** The number of bytes of element data ({@code size() * dtype().byteWidth()}). */
  public long byteSize() {
    return byteSize;
  }

  /**
   * The buffer holding the elements, for IPC and advanced use; still owned by this chunk. Its
   * capacity may exceed {@link #byteSize()}.
   */
  public ArrowBuf buffer() {
    checkOpen();
    return buf;
  }

  /** True once {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /** Copies elements {@code [from, from + n)} into {@code dst[off, off + n)} as doubles. */
  public void getDoubles(long from, double[] dst, int off, int n) {
    checkRange(from, dst.length, off, n);
    if (n < SMALL) {
      for (int k = 0; k < n; k++) {
        dst[off + k] = getDoubleUnchecked(from + k);
      }
      return;
    }
    while (n > 0) {
      int m = Math.min(n, SEGMENT);
      ByteBuffer bb = view(from, m);
      switch (dtype) {
        case FLOAT64 -> {
          bb.asDoubleBuffer().get(dst, off, m);
        }
        case FLOAT32 -> {
          FloatBuffer fb = bb.asFloatBuffer();
          for (int k = 0; k < m; k++) {
            dst[off + k] = fb.get(k);
          }
        }
        case INT64 -> {
          LongBuffer lb = bb.asLongBuffer();
          for (int k = 0; k < m; k++) {
            dst[off + k] = lb.get(k);
          }
        }
        case INT32 -> {
          IntBuffer ib = bb.asIntBuffer();
          for (int k = 0; k < m; k++) {
            dst[off + k] = ib.get(k);
          }
        }
        case BOOL -> {
          for (int k = 0; k < m; k++) {
            dst[off + k] = bb.get(k) != 0 ? 1.0 : 0.0;
          }
        }
      }
      from += m;
      off += m;
      n -= m;
    }
  }

  /** Stores {@code src[off, off + n)} into elements {@code [from, from + n)}, converting. */
  public void setDoubles(long from, double[] src, int off, int n) {
    checkRange(from, src.length, off, n);
    if (n < SMALL) {
      for (int k = 0; k < n; k++) {
        setDoubleUnchecked(from + k, src[off + k]);
      }
      return;
    }
    while (n > 0) {
      int m = Math.min(n, SEGMENT);
      ByteBuffer bb = view(from, m);
      switch (dtype) {
        case FLOAT64 -> {
          bb.asDoubleBuffer().put(src, off, m);
        }
        case FLOAT32 -> {
          FloatBuffer fb = bb.asFloatBuffer();
          for (int k = 0; k < m; k++) {
            fb.put(k, (float) src[off + k]);
          }
        }
        case INT64 -> {
          LongBuffer lb = bb.asLongBuffer();
          for (int k = 0; k < m; k++) {
            lb.put(k, Convert.doubleToLong(src[off + k]));
          }
        }
        case INT32 -> {
          IntBuffer ib = bb.asIntBuffer();
          for (int k = 0; k < m; k++) {
            ib.put(k, Convert.doubleToInt(src[off + k]));
          }
        }
        case BOOL -> {
          for (int k = 0; k < m; k++) {
            bb.put(k, Convert.doubleToBool(src[off + k]));
          }
        }
      }
      from += m;
      off += m;
      n -= m;
    }
  }

  /** Copies elements {@code [from, from + n)} into {@code dst[off, off + n)} as longs. */
  public void getLongs(long from, long[] dst, int off, int n) {
    checkRange(from, dst.length, off, n);
    if (n < SMALL) {
      for (int k = 0; k < n; k++) {
        dst[off + k] = getLongUnchecked(from + k);
      }
      return;
    }
    while (n > 0) {
      int m = Math.min(n, SEGMENT);
      ByteBuffer bb = view(from, m);
      switch (dtype) {
        case INT64 -> {
          bb.asLongBuffer().get(dst, off, m);
        }
        case INT32 -> {
          IntBuffer ib = bb.asIntBuffer();
          for (int k = 0; k < m; k++) {
            dst[off + k] = ib.get(k);
          }
        }
        case FLOAT64 -> {
          DoubleBuffer db = bb.asDoubleBuffer();
          for (int k = 0; k < m; k++) {
            dst[off + k] = Convert.doubleToLong(db.get(k));
          }
        }
        case FLOAT32 -> {
          FloatBuffer fb = bb.asFloatBuffer();
          for (int k = 0; k < m; k++) {
            dst[off + k] = Convert.doubleToLong(fb.get(k));
          }
        }
        case BOOL -> {
          for (int k = 0; k < m; k++) {
            dst[off + k] = bb.get(k) != 0 ? 1L : 0L;
          }
        }
      }
      from += m;
      off += m;
      n -= m;
    }
  }

  /** Stores {@code src[off, off + n)} into elements {@code [from, from + n)}, converting. */
  public void setLongs(long from, long[] src, int off, int n) {
    checkRange(from, src.length, off, n);
    if (n < SMALL) {
      for (int k = 0; k < n; k++) {
        setLongUnchecked(from + k, src[off + k]);
      }
      return;
    }
    while (n > 0) {
      int m = Math.min(n, SEGMENT);
      ByteBuffer bb = view(from, m);
      switch (dtype) {
        case INT64 -> {
          bb.asLongBuffer().put(src, off, m);
        }
        case INT32 -> {
          IntBuffer ib = bb.asIntBuffer();
          for (int k = 0; k < m; k++) {
            ib.put(k, (int) src[off + k]);
          }
        }
        case FLOAT64 -> {
          DoubleBuffer db = bb.asDoubleBuffer();
          for (int k = 0; k < m; k++) {
            db.put(k, (double) src[off + k]);
          }
        }
        case FLOAT32 -> {
          FloatBuffer fb = bb.asFloatBuffer();
          for (int k = 0; k < m; k++) {
            fb.put(k, (float) src[off + k]);
          }
        }
        case BOOL -> {
          for (int k = 0; k < m; k++) {
            bb.put(k, Convert.longToBool(src[off + k]));
          }
        }
      }
      from += m;
      off += m;
      n -= m;
    }
  }

  /** Element {@code i} as a double. */
  public double getDouble(long i) {
    checkIndex(i);
    return getDoubleUnchecked(i);
  }

  /** Element {@code i} as a long. */
  public long getLong(long i) {
    checkIndex(i);
    return getLongUnchecked(i);
  }

  /** Stores {@code v} into element {@code i}, converting. */
  public void setDouble(long i, double v) {
    checkIndex(i);
    setDoubleUnchecked(i, v);
  }

  /** Stores {@code v} into element {@code i}, converting. */
  public void setLong(long i, long v) {
    checkIndex(i);
    setLongUnchecked(i, v);
  }

  /** Frees the buffer; later calls do nothing. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      buf.close();
    }
  }

  @Override
  public String toString() {
    return "Chunk[" + dtype + shape + " rows " + rowStart + ".." + (rowStart + rows) + "]";
  }

  private double getDoubleUnchecked(long i) {
    switch (dtype) {
      case FLOAT64 -> {
        return buf.getDouble(i * 8);
      }
      case FLOAT32 -> {
        return buf.getFloat(i * 4);
      }
      case INT64 -> {
        return buf.getLong(i * 8);
      }
      case INT32 -> {
        return buf.getInt(i * 4);
      }
      case BOOL -> {
        return buf.getByte(i) != 0 ? 1.0 : 0.0;
      }
    }
    throw new AssertionError(dtype);
  }

  private long getLongUnchecked(long i) {
    switch (dtype) {
      case FLOAT64 -> {
        return Convert.doubleToLong(buf.getDouble(i * 8));
      }
      case FLOAT32 -> {
        return Convert.doubleToLong(buf.getFloat(i * 4));
      }
      case INT64 -> {
        return buf.getLong(i * 8);
      }
      case INT32 -> {
        return buf.getInt(i * 4);
      }
      case BOOL -> {
        return buf.getByte(i) != 0 ? 1L : 0L;
      }
    }
    throw new AssertionError(dtype);
  }

  private void setDoubleUnchecked(long i, double v) {
    switch (dtype) {
      case FLOAT64 -> {
        buf.setDouble(i * 8, v);
        return;
      }
      case FLOAT32 -> {
        buf.setFloat(i * 4, (float) v);
        return;
      }
      case INT64 -> {
        buf.setLong(i * 8, Convert.doubleToLong(v));
        return;
      }
      case INT32 -> {
        buf.setInt(i * 4, Convert.doubleToInt(v));
        return;
      }
      case BOOL -> {
        buf.setByte(i, Convert.doubleToBool(v));
        return;
      }
    }
    throw new AssertionError(dtype);
  }

  private void setLongUnchecked(long i, long v) {
    switch (dtype) {
      case FLOAT64 -> {
        buf.setDouble(i * 8, (double) v);
        return;
      }
      case FLOAT32 -> {
        buf.setFloat(i * 4, (float) v);
        return;
      }
      case INT64 -> {
        buf.setLong(i * 8, v);
        return;
      }
      case INT32 -> {
        buf.setInt(i * 4, (int) v);
        return;
      }
      case BOOL -> {
        buf.setByte(i, Convert.longToBool(v));
        return;
      }
    }
    throw new AssertionError(dtype);
  }

  private ByteBuffer view(long from, int n) {
    int w = dtype.byteWidth();
    return buf.nioBuffer(from * w, n * w).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private void checkIndex(long i) {
    checkOpen();
    Objects.checkIndex(i, size);
  }

  private void checkRange(long from, int arrayLength, int off, int n) {
    checkOpen();
    Objects.checkFromIndexSize(off, n, arrayLength);
    Objects.checkFromIndexSize(from, (long) n, size);
  }
}
