package org.jetlag.arrow;

import java.util.Optional;
import org.jetlag.graph.TensorType;

/**
 * Streams an array file as {@link Chunk}s in row order, so a file larger than memory can be
 * processed chunk by chunk.
 *
 * <p>The caller owns every chunk returned and must close it. Not thread-safe.
 */
public interface ChunkReader extends AutoCloseable {
  /** The dtype and fully known shape of the whole array in the file. */
  TensorType type();

  /**
   * The next chunk, or empty after the last one.
   *
   * @throws ArrayFileException if the file is truncated or corrupt at this point
   */
  Optional<Chunk> next();

  /** Releases the file and any buffers the reader still holds; idempotent. */
  @Override
  void close();
}
