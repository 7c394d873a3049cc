package org.jetlag.kernels;

import java.util.List;
import java.util.Map;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.SliceMath;

/**
 * The ops that a runner computes on whole arrays (every input gathered into one block): shape
 * changes, linear algebra, sorting and reductions. One dispatch over the catalogue, so every runner
 * that falls back to whole arrays computes exactly what the local runner computes.
 *
 * <p>Elementwise, creation, I/O, graph-port and control ops are not whole-array ops: runners handle
 * them chunk by chunk, and {@link #apply} refuses them.
 */
public final class WholeArray {
  private WholeArray() {}

  /**
   * Computes one node.
   *
   * @param kind the node's op kind
   * @param params the node's parameters (defaults filled in, as {@code TypedGraph.params} gives)
   * @param in the input blocks, in the order of the op's input ports
   * @param shapes the concrete shapes of {@code in}
   * @param out the node's concrete output type; the result is converted to its dtype
   * @throws IllegalArgumentException for an op that is not a whole-array op
   */
  public static Block apply(
      OpKind kind, Map<String, Object> params, List<Block> in, List<Shape> shapes, TensorType out) {
    Block r =
        kind.accept(
            new OpKind.Visitor<Block>() {
              private Block refuse(Enum<?> fn) {
                throw new IllegalArgumentException(fn + " is not a whole-array op");
              }

              @Override
              public Block unary(OpKind.UnaryFn fn) {
                return refuse(fn);
              }

              @Override
              public Block binary(OpKind.BinaryFn fn) {
                return refuse(fn);
              }

              @Override
              public Block where() {
                throw new IllegalArgumentException("where is not a whole-array op");
              }

              @Override
              public Block clip() {
                throw new IllegalArgumentException("clip is not a whole-array op");
              }

              @Override
              public Block cast() {
                throw new IllegalArgumentException("astype is not a whole-array op");
              }

              @Override
              public Block create(OpKind.CreateFn fn) {
                return refuse(fn);
              }

              @Override
              public Block io(OpKind.IoFn fn) {
                return refuse(fn);
              }

              @Override
              public Block graphPort(OpKind.GraphPortFn fn) {
                return refuse(fn);
              }

              @Override
              public Block control(OpKind.ControlFn fn) {
                return refuse(fn);
              }

              @Override
              public Block reduce(OpKind.ReduceFn fn) {
                Shape s = shapes.get(0);
                int ddof = params.containsKey("ddof") ? ((Long) params.get("ddof")).intValue() : 0;
                return Reductions.reduce(fn, in.get(0), s, axes(params.get("axis"), s), ddof);
              }

              @Override
              public Block shape(OpKind.ShapeFn fn) {
                return WholeArray.shape(fn, params, in, shapes, out);
              }

              @Override
              public Block linalg(OpKind.LinalgFn fn) {
                Shape sa = shapes.get(0);
                switch (fn) {
                  case MATMUL:
                    return Linalg.matmul(in.get(0), sa, in.get(1), shapes.get(1));
                  case DOT:
                    return Linalg.dot(in.get(0), sa, in.get(1), shapes.get(1));
                  case OUTER:
                    return Linalg.outer(in.get(0), in.get(1));
                  case SOLVE:
                    return Linalg.solve(in.get(0), sa, in.get(1), shapes.get(1));
                  case INVERSE:
                    return Linalg.inverse(in.get(0), sa);
                  case DET:
                    return Linalg.det(in.get(0), sa);
                  case NORM:
                    return Linalg.norm(
                        in.get(0), sa, axes(params.get("axis"), sa), (String) params.get("ord"));
                }
                throw new IllegalStateException("unhandled " + fn);
              }

              @Override
              public Block sort(OpKind.SortFn fn) {
                Shape s = shapes.get(0);
                return Sorting.apply(fn, in.get(0), s, s.normaliseAxis((Long) params.get("axis")));
              }
            });
    return cast(r, out.dtype());
  }

  /**
   * The axes a reduction's {@code axis} parameter selects: all for null, one for a number, the
   * listed ones for a list (negative axes count from the end).
   */
  public static boolean[] axes(Object axis, Shape s) {
    boolean[] red = new boolean[s.rank()];
    if (axis == null) {
      java.util.Arrays.fill(red, true);
    } else if (axis instanceof Long) {
      red[s.normaliseAxis((Long) axis)] = true;
    } else {
      for (Object a : (List<?>) axis) {
        red[s.normaliseAxis((Long) a)] = true;
      }
    }
    return red;
  }

  /** The permutation of a transpose: the given axes, or all reversed. */
  public static int[] permutation(Object axes, Shape s) {
    int[] perm = new int[s.rank()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] =
          axes == null ? perm.length - 1 - i : s.normaliseAxis((Long) ((List<?>) axes).get(i));
    }
    return perm;
  }

  @SuppressWarnings("unchecked")
  private static Block shape(
      OpKind.ShapeFn fn,
      Map<String, Object> params,
      List<Block> in,
      List<Shape> shapes,
      TensorType out) {
    Shape s = shapes.get(0);
    switch (fn) {
      case RESHAPE:
      case SQUEEZE:
      case EXPAND_DIMS:
        return in.get(0); // row-major data does not move
      case TRANSPOSE:
        return ShapeKernels.transpose(in.get(0), s, permutation(params.get("axes"), s));
      case SLICE:
        return ShapeKernels.slice(
            in.get(0),
            s,
            SliceMath.resolve(
                s,
                (List<Long>) params.get("start"),
                (List<Long>) params.get("stop"),
                (List<Long>) params.get("step")));
      case CONCAT:
      case STACK:
        {
          int rank = fn == OpKind.ShapeFn.STACK ? out.shape().rank() : s.rank();
          long a = (Long) params.get("axis");
          int axis = (int) (a < 0 ? a + rank : a);
          return fn == OpKind.ShapeFn.CONCAT
              ? ShapeKernels.concat(in, shapes, axis)
              : ShapeKernels.stack(in, shapes, axis);
        }
    }
    throw new IllegalStateException("unhandled " + fn);
  }

  /** {@code b} converted to {@code to} (itself when it has that dtype already). */
  public static Block cast(Block b, DType to) {
    if (b.dtype() == to) {
      return b;
    }
    Block o = Block.allocate(to, b.length());
    Elementwise.cast(b, o, b.length());
    return o;
  }
}
