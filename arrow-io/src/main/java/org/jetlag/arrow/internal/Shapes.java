package org.jetlag.arrow.internal;

import java.nio.file.Path;
import java.util.Arrays;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.graph.Shape;

/** Validation of shapes read from files, with errors that name the file. */
public final class Shapes {
  private Shapes() {}

  /**
   * The shape with these dimensions, or an {@link ArrayFileException} naming {@code path} if the
   * rank exceeds {@value Shape#MAX_RANK}, a dimension is negative, or the element count (or its
   * byte size at 8 bytes per element) overflows a long.
   */
  public static Shape checked(Path path, long[] dims) {
    if (dims.length > Shape.MAX_RANK) {
      throw new ArrayFileException(
          path,
          "unsupported rank "
              + dims.length
              + " of shape "
              + Arrays.toString(dims)
              + ": expected at most "
              + Shape.MAX_RANK);
    }
    long size = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new ArrayFileException(
            path, "dimension " + i + " of shape " + Arrays.toString(dims) + " is negative");
      }
      if (dims[i] > 0) {
        // Zero dimensions are skipped, as Shape.of does: [0, 2^40, 2^40] is still absurd.
        try {
          size = Math.multiplyExact(size, dims[i]);
          Math.multiplyExact(size, 8L);
        } catch (ArithmeticException e) {
          throw new ArrayFileException(
              path,
              "absurd shape " + Arrays.toString(dims) + ": its element count overflows 64 bits",
              e);
        }
      }
    }
    return Shape.of(dims);
  }
}
