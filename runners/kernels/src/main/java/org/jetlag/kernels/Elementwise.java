package org.jetlag.kernels;

import org.jetlag.graph.DType;
import org.jetlag.graph.ops.OpKind.BinaryFn;
import org.jetlag.graph.ops.OpKind.UnaryFn;
import org.jetlag.kernels.internal.Erf;

/**
 * Elementwise kernels with NumPy semantics: one tight loop per function over primitive arrays, the
 * dispatch outside the loop.
 *
 * <p>The caller allocates {@code out} with the result dtype of the catalogue's type rule; inputs
 * come in their own dtypes and are promoted here. An input of length 1 is a broadcast scalar; every
 * other block has at least {@code n} elements. float32 results are rounded after each op, int32
 * results wrapped, bool results 0 or 1. Stateless and thread-safe; the blocks are not.
 */
public final class Elementwise {
  private Elementwise() {}

  // ---------------------------------------------------------------- unary

  /** {@code out[i] = fn(x[i])} for i in [0, n). */
  public static void unary(UnaryFn fn, Block x, Block out, int n) {
    DType od = out.dtype();
    if (od == DType.BOOL) {
      predicate(fn, x, out.longs(), n);
    } else if (od.isFloating()) {
      double[] o = out.doubles();
      unaryDouble(fn, doublesOf(x, n), o, n);
      if (od == DType.FLOAT32) {
        roundToFloat(o, n);
      }
    } else {
      if (x.longs() == null) {
        throw new IllegalArgumentException(
            Ops2.name(fn) + ": expected an integer input for an " + od + " result, got " + x);
      }
      long[] o = out.longs();
      unaryLong(fn, x.longs(), o, n);
      wrap(o, n, od);
    }
  }

  private static int predicate(UnaryFn fn, Block x, long[] o, int n) {
    double[] d = x.doubles();
    long[] l = x.longs();
    return switch (fn) {
      case LOGICAL_NOT -> {
        if (d != null) {
          for (int i = 0; i < n; i++) {
            o[i] = d[i] == 0 ? 1 : 0;
          }
        } else {
          for (int i = 0; i < n; i++) {
            o[i] = l[i] == 0 ? 1 : 0;
          }
        }
        yield n;
      }
      case ISNAN -> {
        for (int i = 0; i < n; i++) {
          o[i] = d != null && Double.isNaN(d[i]) ? 1 : 0;
        }
        yield n;
      }
      case ISFINITE -> {
        for (int i = 0; i < n; i++) {
          o[i] = d == null || Double.isFinite(d[i]) ? 1 : 0;
        }
        yield n;
      }
      case NEG,
          ABS,
          SIGN,
          SQRT,
          SQUARE,
          EXP,
          LOG,
          LOG1P,
          SIN,
          COS,
          TAN,
          TANH,
          SIGMOID,
          RELU,
          ERF,
          FLOOR,
          CEIL,
          ROUND ->
          throw notFor(fn, DType.BOOL);
    };
  }

  private static int unaryDouble(UnaryFn fn, double[] x, double[] o, int n) {
    return switch (fn) {
      case NEG -> {
        for (int i = 0; i < n; i++) {
          o[i] = -x[i];
        }
        yield n;
      }
      case ABS -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.abs(x[i]);
        }
        yield n;
      }
      case SIGN -> {
        for (int i = 0; i < n; i++) {
          double v = x[i];
          o[i] = v > 0 ? 1.0 : v < 0 ? -1.0 : v == 0 ? 0.0 : v;
        }
        yield n;
      }
      case SQRT -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.sqrt(x[i]);
        }
        yield n;
      }
      case SQUARE -> {
        for (int i = 0; i < n; i++) {
          o[i] = x[i] * x[i];
        }
        yield n;
      }
      case EXP -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.exp(x[i]);
        }
        yield n;
      }
      case LOG -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.log(x[i]);
        }
        yield n;
      }
      case LOG1P -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.log1p(x[i]);
        }
        yield n;
      }
      case SIN -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.sin(x[i]);
        }
        yield n;
      }
      case COS -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.cos(x[i]);
        }
        yield n;
      }
      case TAN -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.tan(x[i]);
        }
        yield n;
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.tanh(x[i]);
        }
        yield n;
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          double v = x[i];
          // exp of a non-positive argument only, so neither branch overflows.
          if (v >= 0) {
            o[i] = 1.0 / (1.0 + Math.exp(-v));
          } else {
            double e = Math.exp(v);
            o[i] = e / (1.0 + e);
          }
        }
        yield n;
      }
      case RELU -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.max(x[i], 0.0);
        }
        yield n;
      }
      case ERF -> {
        for (int i = 0; i < n; i++) {
          o[i] = Erf.erf(x[i]);
        }
        yield n;
      }
      case FLOOR -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.floor(x[i]);
        }
        yield n;
      }
      case CEIL -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.ceil(x[i]);
        }
        yield n;
      }
      case ROUND -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.rint(x[i]);
        }
        yield n;
      }
      case LOGICAL_NOT, ISNAN, ISFINITE -> throw notFor(fn, DType.FLOAT64);
    };
  }

  private static int unaryLong(UnaryFn fn, long[] x, long[] o, int n) {
    return switch (fn) {
      case NEG -> {
        for (int i = 0; i < n; i++) {
          o[i] = -x[i];
        }
        yield n;
      }
      case ABS -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.abs(x[i]);
        }
        yield n;
      }
      case SIGN -> {
        for (int i = 0; i < n; i++) {
          o[i] = Long.signum(x[i]);
        }
        yield n;
      }
      case SQUARE -> {
        for (int i = 0; i < n; i++) {
          o[i] = x[i] * x[i];
        }
        yield n;
      }
      case RELU -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.max(x[i], 0L);
        }
        yield n;
      }
      case ROUND, FLOOR, CEIL -> {
        System.arraycopy(x, 0, o, 0, n);
        yield n;
      }
      case SQRT, EXP, LOG, LOG1P, SIN, COS, TAN, TANH, SIGMOID, ERF, LOGICAL_NOT, ISNAN, ISFINITE ->
          throw notFor(fn, DType.INT64);
    };
  }

  // ---------------------------------------------------------------- binary

  /**
   * {@code out[i] = fn(a[i], b[i])} for i in [0, n); {@code a} or {@code b} may have length 1.
   *
   * @throws KernelException for an integer raised to a negative integer power
   */
  public static void binary(BinaryFn fn, Block a, Block b, Block out, int n) {
    DType od = out.dtype();
    boolean sa = a.length() == 1 && n != 1;
    boolean sb = b.length() == 1 && n != 1;
    if (fn.isComparison()) {
      long[] o = out.longs();
      if (DType.promote(a.dtype(), b.dtype()).isFloating()) {
        compareDouble(fn, doublesOf(a, n), sa ? 0 : -1, doublesOf(b, n), sb ? 0 : -1, o, n);
      } else {
        compareLong(fn, a.longs(), sa ? 0 : -1, b.longs(), sb ? 0 : -1, o, n);
      }
    } else if (fn.isLogical()) {
      logical(fn, truth(a, n), sa ? 0 : -1, truth(b, n), sb ? 0 : -1, out.longs(), n);
    } else if (od.isFloating()) {
      double[] o = out.doubles();
      double[] x = doublesOf(a, n);
      double[] y = doublesOf(b, n);
      if (!sa && !sb) {
        arithVV(fn, x, y, o, n);
      } else if (sb) {
        arithVS(fn, x, y[0], o, n);
      } else {
        arithSV(fn, x[0], y, o, n);
      }
      if (od == DType.FLOAT32) {
        roundToFloat(o, n);
      }
    } else {
      if (a.longs() == null || b.longs() == null) {
        throw new IllegalArgumentException(
            Ops2.name(fn) + ": expected integer inputs for an " + od + " result");
      }
      long[] o = out.longs();
      arithLong(fn, a.longs(), sa ? 0 : -1, b.longs(), sb ? 0 : -1, o, n);
      wrap(o, n, od);
    }
  }

  /** The fast path: all float64 (or float32 rounded by the caller), vector with vector. */
  private static int arithVV(BinaryFn fn, double[] a, double[] b, double[] o, int n) {
    return switch (fn) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] + b[i];
        }
        yield n;
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] - b[i];
        }
        yield n;
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] * b[i];
        }
        yield n;
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] / b[i];
        }
        yield n;
      }
      case POW -> {
        for (int i = 0; i < n; i++) {
          o[i] = pow(a[i], b[i]);
        }
        yield n;
      }
      case MOD -> {
        for (int i = 0; i < n; i++) {
          o[i] = mod(a[i], b[i]);
        }
        yield n;
      }
      case MAXIMUM -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.max(a[i], b[i]);
        }
        yield n;
      }
      case MINIMUM -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.min(a[i], b[i]);
        }
        yield n;
      }
      case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, LOGICAL_AND, LOGICAL_OR ->
          throw notFor(fn, DType.FLOAT64);
    };
  }

  private static int arithVS(BinaryFn fn, double[] a, double s, double[] o, int n) {
    return switch (fn) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] + s;
        }
        yield n;
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] - s;
        }
        yield n;
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] * s;
        }
        yield n;
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i] / s;
        }
        yield n;
      }
      case POW -> {
        if (s == 2.0) {
          for (int i = 0; i < n; i++) {
            o[i] = a[i] * a[i];
          }
        } else {
          for (int i = 0; i < n; i++) {
            o[i] = pow(a[i], s);
          }
        }
        yield n;
      }
      case MOD -> {
        for (int i = 0; i < n; i++) {
          o[i] = mod(a[i], s);
        }
        yield n;
      }
      case MAXIMUM -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.max(a[i], s);
        }
        yield n;
      }
      case MINIMUM -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.min(a[i], s);
        }
        yield n;
      }
      case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, LOGICAL_AND, LOGICAL_OR ->
          throw notFor(fn, DType.FLOAT64);
    };
  }

  private static int arithSV(BinaryFn fn, double s, double[] b, double[] o, int n) {
    return switch (fn) {
      case ADD, MUL, MAXIMUM, MINIMUM -> arithVS(fn, b, s, o, n);
      case SUB -> {
        for (int i = 0; i < n; i++) {
          o[i] = s - b[i];
        }
        yield n;
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          o[i] = s / b[i];
        }
        yield n;
      }
      case POW -> {
        for (int i = 0; i < n; i++) {
          o[i] = pow(s, b[i]);
        }
        yield n;
      }
      case MOD -> {
        for (int i = 0; i < n; i++) {
          o[i] = mod(s, b[i]);
        }
        yield n;
      }
      case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, LOGICAL_AND, LOGICAL_OR ->
          throw notFor(fn, DType.FLOAT64);
    };
  }

  /** C's pow, which NumPy uses: unlike Math.pow, 1 ** NaN and (-1) ** ±inf are 1. */
  static double pow(double a, double b) {
    if (a == 1.0 || (a == -1.0 && Double.isInfinite(b))) {
      return 1.0;
    }
    return Math.pow(a, b);
  }

  /** NumPy's floating remainder: sign of the divisor, zero signed like the divisor. */
  static double mod(double a, double b) {
    double m = a % b;
    if (m != 0) {
      if ((b < 0) != (m < 0)) {
        m += b;
      }
    } else {
      m = Math.copySign(0.0, b);
    }
    return m;
  }

  /** Integer arithmetic; {@code ma}/{@code mb} are 0 for a scalar operand, -1 otherwise. */
  private static int arithLong(BinaryFn fn, long[] a, int ma, long[] b, int mb, long[] o, int n) {
    return switch (fn) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] + b[i & mb];
        }
        yield n;
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] - b[i & mb];
        }
        yield n;
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] * b[i & mb];
        }
        yield n;
      }
      case POW -> {
        for (int i = 0; i < n; i++) {
          o[i] = powLong(a[i & ma], b[i & mb]);
        }
        yield n;
      }
      case MOD -> {
        for (int i = 0; i < n; i++) {
          long d = b[i & mb];
          // NumPy returns 0 (with a warning) for a zero divisor.
          o[i] = d == 0 ? 0 : Math.floorMod(a[i & ma], d);
        }
        yield n;
      }
      case MAXIMUM -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.max(a[i & ma], b[i & mb]);
        }
        yield n;
      }
      case MINIMUM -> {
        for (int i = 0; i < n; i++) {
          o[i] = Math.min(a[i & ma], b[i & mb]);
        }
        yield n;
      }
      case DIV,
          EQUAL,
          NOT_EQUAL,
          LESS,
          LESS_EQUAL,
          GREATER,
          GREATER_EQUAL,
          LOGICAL_AND,
          LOGICAL_OR ->
          throw notFor(fn, DType.INT64);
    };
  }

  private static long powLong(long base, long exp) {
    if (exp < 0) {
      throw new KernelException(
          "pow: integers to negative integer powers are not allowed (" + base + " ** " + exp + ")");
    }
    long result = 1;
    long b = base;
    long e = exp;
    while (e != 0) {
      if ((e & 1) != 0) {
        result *= b;
      }
      b *= b;
      e >>>= 1;
    }
    return result;
  }

  private static int compareDouble(
      BinaryFn fn, double[] a, int ma, double[] b, int mb, long[] o, int n) {
    return switch (fn) {
      case EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] == b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case NOT_EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] != b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case LESS -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] < b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case LESS_EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] <= b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case GREATER -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] > b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case GREATER_EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] >= b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case ADD, SUB, MUL, DIV, POW, MOD, MAXIMUM, MINIMUM, LOGICAL_AND, LOGICAL_OR ->
          throw notFor(fn, DType.BOOL);
    };
  }

  private static int compareLong(BinaryFn fn, long[] a, int ma, long[] b, int mb, long[] o, int n) {
    return switch (fn) {
      case EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] == b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case NOT_EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] != b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case LESS -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] < b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case LESS_EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] <= b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case GREATER -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] > b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case GREATER_EQUAL -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] >= b[i & mb] ? 1 : 0;
        }
        yield n;
      }
      case ADD, SUB, MUL, DIV, POW, MOD, MAXIMUM, MINIMUM, LOGICAL_AND, LOGICAL_OR ->
          throw notFor(fn, DType.BOOL);
    };
  }

  private static int logical(BinaryFn fn, long[] a, int ma, long[] b, int mb, long[] o, int n) {
    return switch (fn) {
      case LOGICAL_AND -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] & b[i & mb];
        }
        yield n;
      }
      case LOGICAL_OR -> {
        for (int i = 0; i < n; i++) {
          o[i] = a[i & ma] | b[i & mb];
        }
        yield n;
      }
      case ADD,
          SUB,
          MUL,
          DIV,
          POW,
          MOD,
          MAXIMUM,
          MINIMUM,
          EQUAL,
          NOT_EQUAL,
          LESS,
          LESS_EQUAL,
          GREATER,
          GREATER_EQUAL ->
          throw notFor(fn, DType.BOOL);
    };
  }

  // ---------------------------------------------------------------- where, clip, cast

  /**
   * {@code out[i] = cond[i] != 0 ? a[i] : b[i]}; any input may have length 1. {@code out} has the
   * promoted dtype of {@code a} and {@code b}.
   */
  public static void where(Block cond, Block a, Block b, Block out, int n) {
    long[] c = truth(cond, n);
    int mc = cond.length() == 1 ? 0 : -1;
    int ma = a.length() == 1 ? 0 : -1;
    int mb = b.length() == 1 ? 0 : -1;
    if (out.dtype().isFloating()) {
      double[] x = doublesOf(a, n);
      double[] y = doublesOf(b, n);
      double[] o = out.doubles();
      for (int i = 0; i < n; i++) {
        o[i] = c[i & mc] != 0 ? x[i & ma] : y[i & mb];
      }
      if (out.dtype() == DType.FLOAT32) {
        roundToFloat(o, n);
      }
    } else {
      long[] x = a.longs();
      long[] y = b.longs();
      long[] o = out.longs();
      for (int i = 0; i < n; i++) {
        o[i] = c[i & mc] != 0 ? x[i & ma] : y[i & mb];
      }
    }
  }

  /**
   * {@code out[i] = min(max(x[i], min), max)} as {@code numpy.clip}; pass ±infinity for an absent
   * bound. NaN in x stays NaN. Integer inputs are clipped to the integers inside the bounds.
   */
  public static void clip(Block x, double min, double max, Block out, int n) {
    if (x.doubles() != null) {
      double[] v = x.doubles();
      double[] o = out.doubles();
      for (int i = 0; i < n; i++) {
        o[i] = Math.min(Math.max(v[i], min), max);
      }
      if (out.dtype() == DType.FLOAT32) {
        roundToFloat(o, n);
      }
    } else {
      long lo = min == Double.NEGATIVE_INFINITY ? Long.MIN_VALUE : (long) Math.ceil(min);
      long hi = max == Double.POSITIVE_INFINITY ? Long.MAX_VALUE : (long) Math.floor(max);
      long[] v = x.longs();
      long[] o = out.longs();
      for (int i = 0; i < n; i++) {
        o[i] = Math.min(Math.max(v[i], lo), hi);
      }
      wrap(o, n, out.dtype());
    }
  }

  /**
   * Converts to {@code out}'s dtype as NumPy's {@code astype}: floats to ints truncate toward zero,
   * int32 wraps, bool is {@code x != 0}, float32 rounds to nearest.
   */
  public static void cast(Block x, Block out, int n) {
    DType od = out.dtype();
    if (x.doubles() != null && out.doubles() != null) {
      System.arraycopy(x.doubles(), 0, out.doubles(), 0, n);
      if (od == DType.FLOAT32) {
        roundToFloat(out.doubles(), n);
      }
    } else if (x.doubles() != null) {
      double[] v = x.doubles();
      long[] o = out.longs();
      for (int i = 0; i < n; i++) {
        o[i] = Convert.doubleToLong(v[i], od);
      }
    } else if (out.doubles() != null) {
      long[] v = x.longs();
      double[] o = out.doubles();
      for (int i = 0; i < n; i++) {
        o[i] = v[i];
      }
      if (od == DType.FLOAT32) {
        roundToFloat(o, n);
      }
    } else {
      System.arraycopy(x.longs(), 0, out.longs(), 0, n);
      wrap(out.longs(), n, od);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The values of {@code b} as doubles: its own array when floating, else a converted copy. */
  static double[] doublesOf(Block b, int n) {
    if (b.doubles() != null) {
      return b.doubles();
    }
    int len = b.length() == 1 ? 1 : Math.min(n, b.length());
    long[] l = b.longs();
    double[] d = new double[len];
    for (int i = 0; i < len; i++) {
      d[i] = l[i];
    }
    return d;
  }

  /** 0/1 truth values of {@code b} (non-zero, including NaN, is true). */
  static long[] truth(Block b, int n) {
    if (b.dtype() == DType.BOOL) {
      return b.longs();
    }
    int len = b.length() == 1 ? 1 : Math.min(n, b.length());
    long[] t = new long[len];
    if (b.doubles() != null) {
      double[] d = b.doubles();
      for (int i = 0; i < len; i++) {
        t[i] = d[i] != 0 ? 1 : 0;
      }
    } else {
      long[] l = b.longs();
      for (int i = 0; i < len; i++) {
        t[i] = l[i] != 0 ? 1 : 0;
      }
    }
    return t;
  }

  static void roundToFloat(double[] o, int n) {
    for (int i = 0; i < n; i++) {
      o[i] = (float) o[i];
    }
  }

  static void wrap(long[] o, int n, DType dtype) {
    if (dtype == DType.INT32) {
      for (int i = 0; i < n; i++) {
        o[i] = (int) o[i];
      }
    } else if (dtype == DType.BOOL) {
      for (int i = 0; i < n; i++) {
        o[i] = o[i] != 0 ? 1 : 0;
      }
    }
  }

  private static IllegalArgumentException notFor(Enum<?> fn, DType dtype) {
    return new IllegalArgumentException(
        Ops2.name(fn) + ": not defined for a " + dtype + " result on this path");
  }
}
