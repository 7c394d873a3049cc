package org.jetlag.arrow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.internal.Npy;
import org.jetlag.graph.TensorType;

/**
 * Arrays in NumPy's {@code .npy} format.
 *
 * <p>Reads versions 1.0, 2.0 and 3.0 with dtypes {@code <f8 <f4 <i8 <i4 |b1} (big-endian {@code >}
 * variants are converted), C order, rank 0 to 4; {@code fortran_order: True} is an error. Reading
 * streams rows, so a file larger than memory can be processed chunk by chunk. Writes version 1.0,
 * atomically.
 */
public final class NpyFiles {
  private NpyFiles() {}

  /**
   * Writes {@code a} to {@code p} (version 1.0, little-endian, C order).
   *
   * @throws ArrayFileException if the file cannot be written (nothing is left behind)
   */
  public static void write(NdArray a, Path p) {
    Npy.write(a, p);
  }

  /**
   * Reads the whole array in {@code p} in chunks of {@code rowsPerChunk} rows.
   *
   * @throws ArrayFileException if the file is missing, empty, truncated, corrupt or unsupported
   */
  public static NdArray read(Path p, BufferAllocator alloc, long rowsPerChunk) {
    List<Chunk> chunks = new ArrayList<>();
    try (ChunkReader r = openReader(p, alloc, rowsPerChunk)) {
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

  /** The dtype and shape in the header of {@code p}; also checks the data is all there. */
  public static TensorType header(Path p) {
    return Npy.header(p);
  }

  /**
   * Reads rows {@code [rowStart, rowStart + rows)} of {@code p} (fewer at the end of the file) as
   * one chunk, reading only those bytes: workers of a distributed run read their own rows.
   *
   * @throws ArrayFileException if the file is missing, corrupt, or has fewer than rowStart rows
   */
  public static Chunk readRows(Path p, BufferAllocator alloc, long rowStart, long rows) {
    return Npy.readRows(p, alloc, rowStart, rows);
  }

  /** A reader that streams {@code p} in chunks of {@code rowsPerChunk} rows. */
  public static ChunkReader openReader(Path p, BufferAllocator alloc, long rowsPerChunk) {
    return Npy.openReader(p, alloc, rowsPerChunk);
  }
}
