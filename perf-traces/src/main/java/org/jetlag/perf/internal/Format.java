package org.jetlag.perf.internal;

import java.util.Locale;

/** Human-readable numbers for reports and advice, the same in every locale. */
public final class Format {
  private Format() {}

  /** A duration given in microseconds: {@code 85 µs}, {@code 12.3 ms}, {@code 2.68 s}. */
  public static String micros(double us) {
    double a = Math.abs(us);
    if (a < 1) {
      return String.format(Locale.ROOT, "%.2f µs", us);
    }
    if (a < 1000) {
      return String.format(Locale.ROOT, "%.0f µs", us);
    }
    if (a < 1_000_000) {
      return String.format(Locale.ROOT, a < 100_000 ? "%.1f ms" : "%.0f ms", us / 1000);
    }
    return String.format(Locale.ROOT, "%.2f s", us / 1e6);
  }

  /** A duration given in nanoseconds. */
  public static String nanos(long ns) {
    return micros(ns / 1000.0);
  }

  /** Milliseconds with three decimals, as in the CSV and the table. */
  public static String ms3(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  /** A byte count in binary units: {@code 512 B}, {@code 6.1 MiB}. */
  public static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (Math.abs(b) >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0
        ? String.format(Locale.ROOT, "%.0f B", b)
        : String.format(Locale.ROOT, b < 10 ? "%.1f %s" : "%.0f %s", b, units[u]);
  }

  /** A percentage of a fraction, one decimal: {@code 42.5%}. */
  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  /** A count with thousands separators: {@code 1,234,567}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** The text cut to {@code n} characters, ending in an ellipsis when cut. */
  public static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
