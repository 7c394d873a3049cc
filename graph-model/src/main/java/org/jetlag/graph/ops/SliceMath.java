package org.jetlag.graph.ops;

import java.util.List;
import org.jetlag.graph.Shape;

/**
 * Python slice semantics per axis, shared by type inference and the kernels.
 *
 * <p>Missing entries mean the whole axis; negative indices count from the end; out-of-range indices
 * are clamped, as in NumPy.
 */
public final class SliceMath {
  private SliceMath() {}

  /**
   * For each axis of {@code in}: {start, step, length} of the selected elements. A length is {@link
   * Shape#UNKNOWN} when the dimension is.
   *
   * @throws OpTypeException for a zero step or more entries than axes
   */
  public static long[][] resolve(Shape in, List<Long> start, List<Long> stop, List<Long> step) {
    int r = in.rank();
    for (List<Long> l : List.of(start, stop, step)) {
      if (l.size() > r) {
        throw new OpTypeException(
            l == start ? "start" : l == stop ? "stop" : "step",
            "expected at most " + r + " entries (one per axis of " + in + "), got " + l.size());
      }
    }
    long[][] out = new long[r][];
    for (int i = 0; i < r; i++) {
      long st = i < step.size() ? step.get(i) : 1;
      if (st == 0) {
        throw new OpTypeException("step", "expected a non-zero step on axis " + i + ", got 0");
      }
      long dim = in.dim(i);
      if (dim == Shape.UNKNOWN) {
        boolean whole = i >= start.size() && i >= stop.size() && st == 1;
        out[i] = new long[] {0, 1, whole ? Shape.UNKNOWN : Shape.UNKNOWN};
        continue;
      }
      long a = i < start.size() ? start.get(i) : (st > 0 ? 0 : dim - 1);
      long b = i < stop.size() ? stop.get(i) : (st > 0 ? dim : Long.MIN_VALUE / 2);
      long[] bounds = Rules.sliceBounds(dim, a, b, st);
      long len = Rules.sliceLength(dim, a, b, st);
      out[i] = new long[] {bounds[0], st, len};
    }
    return out;
  }
}
