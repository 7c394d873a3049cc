package org.jetlag.arrow.internal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;

/** Delimited text: one array row per line, NumPy's spelling of NaN and infinities. */
public final class Csv {
  private static final int MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Csv() {}

  /** Reads a 2-D array; see {@link org.jetlag.arrow.CsvFiles#read}. */
  public static NdArray read(
      Path path, BufferAllocator alloc, DType dtype, boolean header, char delimiter) {
    Objects.requireNonNull(alloc, "alloc");
    Objects.requireNonNull(dtype, "dtype");
    boolean floating = dtype.isFloating();
    double[] dv = floating ? new double[1024] : null;
    long[] lv = floating ? null : new long[1024];
    int count = 0;
    long rows = 0;
    int cols = -1;
    long colsLine = 0;
    Pattern split =
        Character.isWhitespace(delimiter)
            ? Pattern.compile("\\s+")
            : Pattern.compile(Pattern.quote(String.valueOf(delimiter)));
    FileChannel ch = FileSupport.openForRead(path);
    try (BufferedReader in =
        new BufferedReader(Channels.newReader(ch, StandardCharsets.UTF_8.newDecoder(), -1))) {
      long lineNo = 0;
      boolean headerPending = header;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        String t = line.strip();
        if (t.isEmpty()) {
          continue;
        }
        String[] fields = split.split(t, -1);
        if (headerPending) {
          headerPending = false;
          cols = fields.length;
          colsLine = lineNo;
          continue;
        }
        if (cols < 0) {
          cols = fields.length;
          colsLine = lineNo;
        } else if (fields.length != cols) {
          throw new ArrayFileException(
              path,
              "line "
                  + lineNo
                  + " has "
                  + fields.length
                  + " columns, expected "
                  + cols
                  + " (as line "
                  + colsLine
                  + ")");
        }
        if ((long) count + fields.length > MAX_JAVA_ARRAY) {
          throw new ArrayFileException(path, "has more values than fit in memory at once");
        }
        for (int j = 0; j < fields.length; j++) {
          String f = fields[j].strip();
          if (floating) {
            if (count == dv.length) {
              dv = Arrays.copyOf(dv, (int) Math.min(MAX_JAVA_ARRAY, 2L * dv.length));
            }
            dv[count++] = parseDouble(path, f, lineNo, j + 1, dtype);
          } else {
            if (count == lv.length) {
              lv = Arrays.copyOf(lv, (int) Math.min(MAX_JAVA_ARRAY, 2L * lv.length));
            }
            lv[count++] =
                dtype == DType.BOOL
                    ? parseBool(path, f, lineNo, j + 1)
                    : parseLong(path, f, lineNo, j + 1, dtype);
          }
        }
        rows++;
      }
    } catch (CharacterCodingException e) {
      throw new ArrayFileException(path, "is not UTF-8 text: " + e, e);
    } catch (IOException e) {
      throw new ArrayFileException(path, "read failed: " + e, e);
    }
    Shape shape = Shape.of(rows, Math.max(cols, 0));
    return floating
        ? NdArray.fromDoubles(alloc, dtype, shape, Arrays.copyOf(dv, count))
        : NdArray.fromLongs(alloc, dtype, shape, Arrays.copyOf(lv, count));
  }

  private static double parseDouble(Path path, String f, long line, int col, DType dtype) {
    String s = f.toLowerCase(Locale.ROOT);
    switch (s) {
      case "nan", "+nan", "-nan" -> {
        return Double.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {}
    }
    if (DECIMAL.matcher(f).matches()) {
      return Double.parseDouble(f);
    }
    throw new ArrayFileException(
        path,
        "line "
            + line
            + ", column "
            + col
            + ": '"
            + f
            + "' is not a number (expected "
            + dtype
            + ")");
  }

  private static long parseLong(Path path, String f, long line, int col, DType dtype) {
    try {
      long v = Long.parseLong(f);
      if (dtype == DType.INT32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
        throw new ArrayFileException(
            path,
            "line " + line + ", column " + col + ": " + f + " is out of range (expected int32)");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ArrayFileException(
          path,
          "line "
              + line
              + ", column "
              + col
              + ": '"
              + f
              + "' is not an integer (expected "
              + dtype
              + ")",
          e);
    }
  }

  private static long parseBool(Path path, String f, long line, int col) {
    switch (f.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> {
        return 1;
      }
      case "false", "0" -> {
        return 0;
      }
      default -> {
        throw new ArrayFileException(
            path,
            "line "
                + line
                + ", column "
                + col
                + ": '"
                + f
                + "' is not a bool (expected True, False, 1 or 0)");
      }
    }
  }

  /** Writes a rank 0–2 array; see {@link org.jetlag.arrow.CsvFiles#write}. */
  public static void write(NdArray a, Path path) {
    Shape s = a.shape();
    if (s.rank() > 2) {
      throw new ArrayFileException(
          path, "CSV holds arrays of rank 0 to 2, got " + a.type() + " of rank " + s.rank());
    }
    int cols = s.rank() == 2 ? Math.toIntExact(s.dim(1)) : 1;
    FileSupport.writeAtomically(
        path,
        temp -> {
          try (BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            for (Chunk c : a.chunks()) {
              writeChunk(w, c, cols);
            }
          }
        });
  }

  private static void writeChunk(Writer w, Chunk c, int cols) throws IOException {
    if (cols == 0) {
      return;
    }
    DType dtype = c.dtype();
    double[] dv = new double[cols];
    long[] lv = new long[cols];
    StringBuilder sb = new StringBuilder();
    for (long r = 0; r < c.size() / cols; r++) {
      sb.setLength(0);
      if (dtype.isFloating()) {
        c.getDoubles(r * cols, dv, 0, cols);
      } else {
        c.getLongs(r * cols, lv, 0, cols);
      }
      for (int j = 0; j < cols; j++) {
        if (j > 0) {
          sb.append(',');
        }
        if (dtype == DType.FLOAT64) {
          sb.append(formatDouble(dv[j]));
        } else if (dtype == DType.FLOAT32) {
          sb.append(formatFloat((float) dv[j]));
        } else {
          sb.append(lv[j]);
        }
      }
      sb.append('\n');
      w.write(sb.toString());
    }
  }

  private static String formatDouble(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Double.toString(v);
  }

  private static String formatFloat(float v) {
    if (Float.isNaN(v)) {
      return "nan";
    }
    if (Float.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Float.toString(v);
  }
}
