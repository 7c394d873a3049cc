package org.jetlag.kernels;

import org.jetlag.graph.DType;

/** Scalar conversions between dtypes with NumPy's {@code astype} semantics. */
final class Convert {
  private Convert() {}

  /**
   * Truncates toward zero, then wraps to {@code dtype}; NaN, infinities and out-of-range values
   * give the type's minimum as on x86.
   */
  static long doubleToLong(double v, DType dtype) {
    if (dtype == DType.BOOL) {
      return v != 0 ? 1 : 0;
    }
    // NumPy (C) leaves out-of-range conversions undefined; x86 gives the minimum value for them.
    if (dtype == DType.INT32) {
      return Math.abs(v) < 0x1p31 ? (long) (int) v : Integer.MIN_VALUE;
    }
    return Math.abs(v) < 0x1p63 ? (long) v : Long.MIN_VALUE;
  }

  /** Wraps to int32, or normalises to 0/1 for bool. */
  static long wrapLong(long v, DType dtype) {
    if (dtype == DType.INT32) {
      return (int) v;
    }
    if (dtype == DType.BOOL) {
      return v != 0 ? 1 : 0;
    }
    return v;
  }
}
