package org.jetlag.cli.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for byte sizes ({@code 4MiB}) and durations ({@code 10m}) on the command line. */
final class Units {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?b?)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private Units() {}

  /**
   * Bytes in a size: a number with an optional unit, {@code B}, {@code KiB}/{@code MiB}/{@code
   * GiB}/{@code TiB} (powers of 1024; {@code k}, {@code M}, {@code G}, {@code T} alone mean the
   * same) or {@code KB}/{@code MB}/{@code GB}/{@code TB} (powers of 1000).
   */
  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new TypeConversionException(
          "expected a size such as 4MiB, 512KiB or 8GiB, got '" + text + "'");
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    double base = unit.contains("i") || unit.length() == 1 && !unit.equals("b") ? 1024 : 1000;
    int power = unit.isEmpty() ? 0 : "bkmgt".indexOf(unit.charAt(0));
    if (power < 0) {
      throw new TypeConversionException(
          "expected a size such as 4MiB, 512KiB or 8GiB, got '" + text + "'");
    }
    double v = Double.parseDouble(m.group(1)) * Math.pow(base, power);
    if (v >= 0x1p63) {
      throw new TypeConversionException("size too large: '" + text + "'");
    }
    return (long) v;
  }

  /** A duration: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601. */
  static Duration duration(String text) {
    String s = text.strip();
    Matcher m = DURATION.matcher(s);
    Duration d;
    if (m.matches()) {
      double v = Double.parseDouble(m.group(1));
      double millisPer;
      switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms":
          millisPer = 1;
          break;
        case "s":
          millisPer = 1e3;
          break;
        case "m":
          millisPer = 60e3;
          break;
        case "h":
          millisPer = 3600e3;
          break;
        default:
          millisPer = 86400e3;
          break;
      }
      d = Duration.ofMillis(Math.round(v * millisPer));
    } else {
      try {
        d = Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "expected a duration such as 30s, 10m or 2h, got '" + text + "'");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new TypeConversionException("expected a positive duration, got '" + text + "'");
    }
    return d;
  }

  /** Picocli converter for sizes. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long b = bytes(value);
      if (b <= 0) {
        throw new TypeConversionException("expected a positive size, got '" + value + "'");
      }
      return b;
    }
  }

  /** Picocli converter for durations. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }
}
