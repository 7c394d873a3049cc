package org.jetlag.cli.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;

/** A few lines describing an array: type, min/max/mean ignoring NaN, NaN/Inf counts, values. */
final class Summary {
  /** How many leading values a summary shows. */
  static final int FIRST = 6;

  private Summary() {}

  /** The summary of output {@code name}, ending with a newline. */
  static String of(String name, NdArray a) {
    StringBuilder sb = new StringBuilder();
    boolean floating = a.dtype().isFloating();
    long n = a.size();
    sb.append(name).append(": ").append(a.type());
    if (n == 0) {
      return sb.append("  (empty)").append(System.lineSeparator()).toString();
    }
    long nan = 0;
    long posInf = 0;
    long negInf = 0;
    long finite = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double comp = 0;
    for (long i = 0; i < n; i++) {
      double v = a.getDouble(i);
      if (Double.isNaN(v)) {
        nan++;
        continue;
      }
      if (v == Double.POSITIVE_INFINITY) {
        posInf++;
      } else if (v == Double.NEGATIVE_INFINITY) {
        negInf++;
      } else {
        finite++;
        // Kahan summation keeps the mean stable for long outputs.
        double y = v - comp;
        double t = sum + y;
        comp = (t - sum) - y;
        sum = t;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean;
    if (posInf > 0 && negInf > 0) {
      mean = Double.NaN;
    } else if (posInf > 0) {
      mean = Double.POSITIVE_INFINITY;
    } else if (negInf > 0) {
      mean = Double.NEGATIVE_INFINITY;
    } else {
      mean = finite == 0 ? Double.NaN : sum / finite;
    }
    if (n == 1) {
      sb.append("  value ").append(value(a, 0));
    } else {
      sb.append("  min ")
          .append(nan == n ? "nan" : format(min, a.dtype()))
          .append("  max ")
          .append(nan == n ? "nan" : format(max, a.dtype()))
          .append("  mean ")
          .append(num(mean));
    }
    if (floating && (nan > 0 || posInf > 0 || negInf > 0)) {
      List<String> counts = new ArrayList<>();
      counts.add("nan " + nan);
      counts.add("+inf " + posInf);
      counts.add("-inf " + negInf);
      sb.append("  (").append(String.join(", ", counts)).append(')');
    }
    if (n > 1) {
      List<String> first = new ArrayList<>();
      for (long i = 0; i < Math.min(n, FIRST); i++) {
        first.add(value(a, i));
      }
      sb.append(System.lineSeparator())
          .append("  values: [")
          .append(String.join(", ", first))
          .append(n > FIRST ? ", ... (" + n + " in all)" : "")
          .append(']');
    }
    return sb.append(System.lineSeparator()).toString();
  }

  private static String value(NdArray a, long i) {
    if (a.dtype() == DType.BOOL) {
      return a.getDouble(i) != 0 ? "true" : "false";
    }
    if (a.dtype().isInteger()) {
      return Long.toString(a.getLong(i));
    }
    return num(a.getDouble(i));
  }

  private static String format(double v, DType dtype) {
    if (dtype == DType.BOOL) {
      return v != 0 ? "true" : "false";
    }
    if (dtype.isInteger()) {
      return Long.toString((long) v);
    }
    return num(v);
  }

  /**
   * A double as NumPy prints it in spirit: {@code nan}, {@code -inf}, up to 8 significant digits.
   */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    double abs = Math.abs(v);
    if (abs >= 1e-4 && abs < 1e9) {
      String s =
          new BigDecimal(v)
              .round(new java.math.MathContext(8))
              .stripTrailingZeros()
              .toPlainString();
      return s;
    }
    return String.format(Locale.ROOT, "%.7e", v).replaceAll("\\.?0+e", "e");
  }
}
