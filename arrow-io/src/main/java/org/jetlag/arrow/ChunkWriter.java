package org.jetlag.arrow;

/**
 * Writes an array file chunk by chunk into a temporary file that {@link #commit()} moves into place
 * atomically.
 *
 * <p>Until {@code commit()} succeeds the target path is untouched; {@link #close()} without a
 * commit deletes the temporary file, so a failure mid-stream leaves nothing behind. Not
 * thread-safe.
 */
public interface ChunkWriter extends AutoCloseable {
  /**
   * Appends {@code c}, which must continue the rows written so far and match the dtype and row
   * shape given when opening; the caller keeps ownership of {@code c}.
   *
   * @throws IllegalArgumentException if the chunk does not fit
   * @throws ArrayFileException if writing fails
   */
  void write(Chunk c);

  /**
   * Finishes the file and moves it to the target path.
   *
   * @throws IllegalStateException if fewer or more rows were written than the shape says
   * @throws ArrayFileException if finishing or moving fails (then nothing is left behind)
   */
  void commit();

  /** Releases resources; deletes the temporary file unless committed. Idempotent. */
  @Override
  void close();
}
