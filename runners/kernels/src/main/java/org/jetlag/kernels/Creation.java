package org.jetlag.kernels;

import java.util.List;
import java.util.Map;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.Literal;
import org.jetlag.graph.ops.OpKind.CreateFn;

/**
 * Creation kernels: each writes an arbitrary range of the flat result, so any chunk can be made
 * independently and in any order.
 *
 * <p>Random values are counter-based: element {@code i} is a pure function of (seed, i) through a
 * SplitMix64 mix, so the array never depends on chunking or threads (it does not match NumPy's
 * generators). Uniform: 53 random bits scaled into [low, high). Normal: Box–Muller on two uniforms
 * drawn for index i alone. Stateless and thread-safe.
 */
public final class Creation {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double TWO_PI = 2 * Math.PI;

  private Creation() {}

  /**
   * Writes elements {@code [fromElement, fromElement + n)} of the flat result of {@code fn} into
   * {@code out[0, n)}.
   *
   * @param params the node's canonical parameters ({@code OpSpec.canonicalParams})
   * @param outType the inferred result type; its dtype is {@code out}'s
   */
  public static void fill(
      CreateFn fn,
      Map<String, Object> params,
      TensorType outType,
      long fromElement,
      Block out,
      int n) {
    long from = fromElement;
    int done =
        switch (fn) {
          case CONSTANT -> {
            List<Double> v = ((Literal) params.get("value")).values();
            for (int i = 0; i < n; i++) {
              out.setDouble(i, v.get(Math.toIntExact(from + i)));
            }
            yield n;
          }
          case ZEROS -> fillConstant(out, n, 0.0);
          case ONES -> fillConstant(out, n, 1.0);
          case FULL -> fillConstant(out, n, num(params, "fill_value"));
          case ARANGE -> {
            double start = num(params, "start");
            double step = num(params, "step");
            if (!out.dtype().isFloating() && isInt(start) && isInt(step)) {
              long s = (long) start;
              long st = (long) step;
              for (int i = 0; i < n; i++) {
                out.setLong(i, s + (from + i) * st);
              }
            } else {
              // NumPy fills from its first two values: delta = (start + step) - start.
              double delta = (start + step) - start;
              for (int i = 0; i < n; i++) {
                long j = from + i;
                out.setDouble(i, j == 0 ? start : j == 1 ? start + step : start + j * delta);
              }
            }
            yield n;
          }
          case LINSPACE -> {
            double start = num(params, "start");
            double stop = num(params, "stop");
            long num = ((Number) params.get("num")).longValue();
            boolean endpoint = (Boolean) params.get("endpoint");
            long div = endpoint ? num - 1 : num;
            double delta = stop - start;
            double step = div > 0 ? delta / div : Double.NaN;
            for (int i = 0; i < n; i++) {
              long j = from + i;
              double v;
              if (endpoint && num > 1 && j == num - 1) {
                v = stop;
              } else if (div <= 0) {
                v = start;
              } else if (step == 0) {
                v = (double) j / div * delta + start;
              } else {
                v = j * step + start;
              }
              out.setDouble(i, v);
            }
            yield n;
          }
          case EYE -> {
            long cols = outType.shape().dim(1);
            long k = ((Number) params.getOrDefault("k", 0L)).longValue();
            for (int i = 0; i < n; i++) {
              long j = from + i;
              out.setLong(i, cols > 0 && j % cols - j / cols == k ? 1 : 0);
            }
            yield n;
          }
          case RANDOM_UNIFORM -> {
            double low = num(params, "low");
            double high = num(params, "high");
            long seed = ((Number) params.get("seed")).longValue();
            for (int i = 0; i < n; i++) {
              double v = low + (high - low) * uniform(seed, 2 * (from + i));
              out.setDouble(i, v);
              if (out.doubles()[i] >= high && high > low) {
                // float32 rounding may reach the excluded bound.
                out.doubles()[i] = Math.nextDown((float) high);
              }
            }
            yield n;
          }
          case RANDOM_NORMAL -> {
            double mean = num(params, "mean");
            double std = num(params, "std");
            long seed = ((Number) params.get("seed")).longValue();
            for (int i = 0; i < n; i++) {
              long j = from + i;
              double u1 = uniform(seed, 2 * j);
              double u2 = uniform(seed, 2 * j + 1);
              double z = Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(TWO_PI * u2);
              out.setDouble(i, mean + std * z);
            }
            yield n;
          }
        };
    assert done == n;
  }

  /** A uniform double in [0, 1) with 53 random bits, a pure function of (seed, counter). */
  public static double uniform(long seed, long counter) {
    long z = mix(mix(seed) + counter * GOLDEN);
    return (z >>> 11) * 0x1.0p-53;
  }

  /** The SplitMix64 finaliser (Stafford's variant 13). */
  private static long mix(long x) {
    long z = x + GOLDEN;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int fillConstant(Block out, int n, double v) {
    Block one = Block.ofDoubles(out.dtype(), v);
    if (out.doubles() != null) {
      java.util.Arrays.fill(out.doubles(), 0, n, one.doubles()[0]);
    } else {
      java.util.Arrays.fill(out.longs(), 0, n, one.longs()[0]);
    }
    return n;
  }

  private static double num(Map<String, Object> params, String name) {
    Object v = params.get(name);
    if (!(v instanceof Number num)) {
      throw new IllegalArgumentException("parameter '" + name + "': expected a number, got " + v);
    }
    return num.doubleValue();
  }

  private static boolean isInt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 9e15;
  }
}
