package org.jetlag.arrow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.internal.ArrowIpc;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/**
 * Arrays in Arrow IPC <em>file</em> format (Feather v2, {@code .arrow}), readable by pyarrow.
 *
 * <p>The convention: one non-null column {@code data} holding the flat row-major elements (float64
 * as Float8, float32 as Float4, int64 as BigInt, int32 as Int(32), bool as bit-packed Bool); schema
 * metadata {@code jetlag.format = "1"}, {@code jetlag.dtype} = the wire name and {@code
 * jetlag.shape} = a JSON list such as {@code [1000,10]}; every record batch holds a whole number of
 * rows. A file without the metadata reads as a 1-D array of its column's type. Writes are atomic: a
 * temporary file in the same directory is moved into place.
 */
public final class ArrowFiles {
  private ArrowFiles() {}

  /**
   * Writes {@code a} to {@code path}, one record batch per non-empty chunk.
   *
   * @throws ArrayFileException if the file cannot be written (nothing is left behind)
   */
  public static void write(NdArray a, Path path) {
    try (ChunkWriter w = openWriter(path, a.dtype(), a.shape())) {
      for (Chunk c : a.chunks()) {
        w.write(c);
      }
      w.commit();
    }
  }

  /**
   * Reads the whole array in {@code path}, one chunk per record batch.
   *
   * @throws ArrayFileException if the file is missing, empty, truncated, corrupt or unsupported
   */
  public static NdArray read(Path path, BufferAllocator alloc) {
    List<Chunk> chunks = new ArrayList<>();
    try (ChunkReader r = openReader(path, alloc)) {
      TensorType t = r.type();
      for (Optional<Chunk> c = r.next(); c.isPresent(); c = r.next()) {
        chunks.add(c.get());
      }
      return NdArray.of(t.dtype(), t.shape(), chunks);
    } catch (RuntimeException e) {
      chunks.forEach(Chunk::close);
      throw e;
    }
  }

  /**
   * The dtype and shape of the array in {@code path}, read from the schema without the data (a file
   * without JetLag metadata is scanned to count its elements).
   */
  public static TensorType header(Path path) {
    return ArrowIpc.header(path);
  }

  /** A reader that streams the record batches of {@code path} as chunks, in row order. */
  public static ChunkReader openReader(Path path, BufferAllocator alloc) {
    return ArrowIpc.openReader(path, alloc);
  }

  /**
   * A writer of an array of this dtype and (fully known) shape, written to a temporary file and
   * moved to {@code path} on {@link ChunkWriter#commit()}.
   */
  public static ChunkWriter openWriter(Path path, DType dtype, Shape shape) {
    return ArrowIpc.openWriter(path, dtype, shape);
  }
}
