package org.jetlag.arrow;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;

/** Seeded sample arrays for round-trip tests. */
final class Samples {
  private Samples() {}

  /** Shapes of rank 0 to 4, including empty ones. */
  static List<Shape> shapes() {
    return List.of(
        Shape.of(),
        Shape.of(0),
        Shape.of(1),
        Shape.of(7),
        Shape.of(5, 3),
        Shape.of(0, 3),
        Shape.of(3, 0),
        Shape.of(4, 2, 3),
        Shape.of(3, 2, 1, 2),
        Shape.of(2, 0, 2, 2));
  }

  /** Every dtype × shape × rows per chunk (1, 2 and "all"). */
  static Stream<Object[]> cases() {
    List<Object[]> out = new ArrayList<>();
    for (DType d : DType.values()) {
      for (Shape s : shapes()) {
        for (long rpc : new long[] {1, 2, 1000}) {
          out.add(new Object[] {d, s, rpc});
        }
      }
    }
    return out.stream();
  }

  /** An array filled with seeded values typical of the dtype (floats include NaN and ±inf). */
  static NdArray filled(BufferAllocator alloc, DType dtype, Shape shape, long rpc, long seed) {
    NdArray a = NdArray.allocate(alloc, dtype, shape, rpc);
    Random r = new Random(seed);
    for (Chunk c : a.chunks()) {
      int n = (int) c.size();
      if (dtype.isFloating()) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = special(r, i);
        }
        c.setDoubles(0, v, 0, n);
      } else {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] =
              dtype == DType.BOOL
                  ? r.nextInt(2)
                  : dtype == DType.INT32 ? r.nextInt() : r.nextLong();
        }
        c.setLongs(0, v, 0, n);
      }
    }
    return a;
  }

  private static double special(Random r, int i) {
    switch (i % 7) {
      case 3 -> {
        return Double.NaN;
      }
      case 5 -> {
        return Double.POSITIVE_INFINITY;
      }
      case 6 -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {
        return r.nextGaussian() * 1e3;
      }
    }
  }
}
