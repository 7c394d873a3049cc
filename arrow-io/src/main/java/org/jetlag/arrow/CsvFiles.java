package org.jetlag.arrow;

import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.internal.Csv;
import org.jetlag.graph.DType;

/**
 * Arrays as delimited text, one row per line, as {@code numpy.loadtxt}/{@code savetxt} use.
 *
 * <p>Reading gives a 2-D {@code [rows, cols]} array in one chunk; blank lines are skipped; NaN and
 * infinities are {@code nan}, {@code inf}, {@code -inf} (also {@code NaN}, {@code Infinity}); bools
 * are {@code True}/{@code False}/{@code 1}/{@code 0}. Writing uses commas and the shortest text
 * that reads back to the same value; bools are written as {@code 1}/{@code 0}.
 */
public final class CsvFiles {
  private CsvFiles() {}

  /**
   * Reads a 2-D array of {@code dtype} from {@code p}.
   *
   * @param header whether the first non-blank line is a header to skip (it still sets the column
   *     count of an otherwise empty file)
   * @param delimiter the field separator; any whitespace character means runs of whitespace
   * @throws ArrayFileException if the file is missing or empty, rows have different column counts
   *     (naming the line), or a field is not a value of {@code dtype} (naming line and column)
   */
  public static NdArray read(
      Path p, BufferAllocator alloc, DType dtype, boolean header, char delimiter) {
    return Csv.read(p, alloc, dtype, header, delimiter);
  }

  /**
   * Writes {@code a} to {@code p} with commas: a 2-D array one row per line, a 1-D array one value
   * per line, a scalar as one line.
   *
   * @throws ArrayFileException if the array has rank above 2 or the file cannot be written
   */
  public static void write(NdArray a, Path p) {
    Csv.write(a, p);
  }
}
