package org.jetlag.runner.beam;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Chunk;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.kernels.Block;

/**
 * One chunk of an array as it travels between Beam steps: rows {@code [rowStart, rowStart +
 * shape[0])} of an array, the elements stored exactly as in an Arrow data buffer (little-endian,
 * row-major, bool one byte each). Immutable: Beam's DirectRunner checks that no step mutates its
 * input.
 */
public final class ChunkData implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DType dtype;
  private final long[] shape;
  private final long rowStart;
  private final byte[] payload;

  ChunkData(DType dtype, long[] shape, long rowStart, byte[] payload) {
    this(dtype, shape.clone(), rowStart, payload.clone(), true);
  }

  /**
   * A chunk that takes ownership of {@code shape} and {@code payload} (the coder's fresh arrays).
   */
  static ChunkData owned(DType dtype, long[] shape, long rowStart, byte[] payload) {
    return new ChunkData(dtype, shape, rowStart, payload, true);
  }

  /** Takes ownership of {@code shape} and {@code payload} (no copies). */
  private ChunkData(DType dtype, long[] shape, long rowStart, byte[] payload, boolean owned) {
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.shape = shape;
    this.rowStart = rowStart;
    this.payload = payload;
    long size = Shape.of(shape).knownSize();
    if (payload.length != size * dtype.byteWidth()) {
      throw new IllegalArgumentException(
          "chunk of "
              + dtype
              + Shape.of(shape)
              + " needs "
              + size * dtype.byteWidth()
              + " bytes, got "
              + payload.length);
    }
  }

  /** A chunk holding a kernel block's values. */
  public static ChunkData of(Block b, Shape shape, long rowStart) {
    int n = b.length();
    ByteBuffer bb = ByteBuffer.allocate(n * b.dtype().byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    switch (b.dtype()) {
      case FLOAT64 -> bb.asDoubleBuffer().put(b.doubles(), 0, n);
      case INT64 -> bb.asLongBuffer().put(b.longs(), 0, n);
      case FLOAT32 -> {
        for (int i = 0; i < n; i++) {
          bb.putFloat((float) b.getAsDouble(i));
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          bb.putInt((int) b.getAsLong(i));
        }
      }
      case BOOL -> {
        for (int i = 0; i < n; i++) {
          bb.put((byte) (b.getAsLong(i) != 0 ? 1 : 0));
        }
      }
    }
    return new ChunkData(b.dtype(), shape.toArray(), rowStart, bb.array(), true);
  }

  /** A copy of an Arrow chunk (its bytes are already in this layout). */
  public static ChunkData of(Chunk c) {
    byte[] p = new byte[Math.toIntExact(c.byteSize())];
    c.buffer().getBytes(0, p);
    return new ChunkData(c.dtype(), c.shape().toArray(), c.rowStart(), p, true);
  }

  /** This chunk as an Arrow chunk from {@code alloc}, which the caller then owns. */
  public Chunk toChunk(BufferAllocator alloc) {
    Chunk c = Chunk.allocateUninitialized(alloc, dtype, shape(), rowStart);
    c.buffer().setBytes(0, payload);
    return c;
  }

  /** The chunk's values as a fresh kernel block. */
  public Block toBlock() {
    int n = Math.toIntExact(shape().knownSize());
    ByteBuffer bb = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FLOAT64 -> {
        double[] d = new double[n];
        bb.asDoubleBuffer().get(d);
        return Block.wrap(dtype, d);
      }
      case INT64 -> {
        long[] l = new long[n];
        bb.asLongBuffer().get(l);
        return Block.wrap(dtype, l);
      }
      default -> {
        Block b = Block.allocate(dtype, n);
        for (int i = 0; i < n; i++) {
          switch (dtype) {
            case FLOAT32 -> b.setDouble(i, bb.getFloat());
            case INT32 -> b.setLong(i, bb.getInt());
            default -> b.setLong(i, bb.get());
          }
        }
        return b;
      }
    }
  }

  /** Bytes of element data. */
  public long byteSize() {
    return payload.length;
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The shape of this chunk (its leading dimension is its row count). */
  public Shape shape() {
    return Shape.of(shape);
  }

  /** The first row of this chunk in its array. */
  public long rowStart() {
    return rowStart;
  }

  byte[] payload() {
    return payload.clone();
  }

  long[] dims() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChunkData)) {
      return false;
    }
    ChunkData c = (ChunkData) o;
    return dtype == c.dtype
        && rowStart == c.rowStart
        && Arrays.equals(shape, c.shape)
        && Arrays.equals(payload, c.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, rowStart, Arrays.hashCode(shape), Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "ChunkData[" + dtype + shape() + " from row " + rowStart + "]";
  }
}
