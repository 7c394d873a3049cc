package org.jetlag.arrow.internal;

/**
 * Element conversions with NumPy {@code astype} semantics on x86.
 *
 * <p>Float to integer truncates toward zero; NaN, infinities and values outside the target range
 * give the target's minimum value (what x86's {@code cvttsd2si} yields, and so NumPy). Integer to
 * int32 wraps. Anything to bool is {@code x != 0} (so NaN is true).
 */
public final class Convert {
  private static final double TWO_63 = 0x1p63;

  private Convert() {}

  /** A double to int64, as {@code numpy.float64(x).astype(numpy.int64)}. */
  public static long doubleToLong(double x) {
    if (Double.isNaN(x) || x >= TWO_63 || x < -TWO_63) {
      return Long.MIN_VALUE;
    }
    return (long) x;
  }

  /**
   * A double to int32: truncated, non-finite or out-of-int64-range to the minimum, then wrapped.
   */
  public static int doubleToInt(double x) {
    long v = doubleToLong(x);
    return v == Long.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
  }

  /** A double to a bool byte (0 or 1). */
  public static byte doubleToBool(double x) {
    return x != 0.0 || Double.isNaN(x) ? (byte) 1 : (byte) 0;
  }

  /** A long to a bool byte (0 or 1). */
  public static byte longToBool(long x) {
    return x != 0 ? (byte) 1 : (byte) 0;
  }
}
