package org.jetlag.graph.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jetlag.graph.DType;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;

/**
 * A symbolic array: an output port of a node being built. Each method adds a node and returns its
 * output; nothing is computed until a runner runs the graph. Immutable.
 */
public final class Tensor {
  private final GraphBuilder builder;
  private final PortRef ref;
  private final Optional<TensorType> type;

  Tensor(GraphBuilder builder, PortRef ref, Optional<TensorType> type) {
    this.builder = Objects.requireNonNull(builder);
    this.ref = Objects.requireNonNull(ref);
    this.type = Objects.requireNonNull(type);
  }

  /** The output port this tensor stands for ({@code matmul_3:out}). */
  public PortRef ref() {
    return ref;
  }

  /** The inferred type, empty when an upstream problem prevents inference. */
  public Optional<TensorType> type() {
    return type;
  }

  GraphBuilder builder() {
    return builder;
  }

  @Override
  public String toString() {
    return ref + type.map(t -> " " + t).orElse(" (untyped)");
  }

  // ------------------------------------------------------------------ arithmetic

  /** {@code this + other}. */
  public Tensor add(Tensor other) {
    return builder.binary("add", this, other);
  }

  /** {@code this + v}. */
  public Tensor add(double v) {
    return add(builder.scalarLike(this, v));
  }

  /** {@code this - other}. */
  public Tensor sub(Tensor other) {
    return builder.binary("sub", this, other);
  }

  /** {@code this - v}. */
  public Tensor sub(double v) {
    return sub(builder.scalarLike(this, v));
  }

  /** {@code this * other}. */
  public Tensor mul(Tensor other) {
    return builder.binary("mul", this, other);
  }

  /** {@code this * v}. */
  public Tensor mul(double v) {
    return mul(builder.scalarLike(this, v));
  }

  /** {@code this / other}. */
  public Tensor div(Tensor other) {
    return builder.binary("div", this, other);
  }

  /** {@code this / v}. */
  public Tensor div(double v) {
    return div(builder.scalarLike(this, v));
  }

  /** {@code this ** other}. */
  public Tensor pow(Tensor other) {
    return builder.binary("pow", this, other);
  }

  /** {@code this ** v}. */
  public Tensor pow(double v) {
    return pow(builder.scalarLike(this, v));
  }

  /** {@code numpy.mod(this, other)}. */
  public Tensor mod(Tensor other) {
    return builder.binary("mod", this, other);
  }

  /** {@code numpy.maximum(this, other)}. */
  public Tensor maximum(Tensor other) {
    return builder.binary("maximum", this, other);
  }

  /** {@code numpy.minimum(this, other)}. */
  public Tensor minimum(Tensor other) {
    return builder.binary("minimum", this, other);
  }

  /** {@code -this}. */
  public Tensor neg() {
    return unary("neg");
  }

  // ------------------------------------------------------------------ comparison and logic

  /** {@code this < other}. */
  public Tensor lt(Tensor other) {
    return builder.binary("less", this, other);
  }

  /** {@code this <= other}. */
  public Tensor le(Tensor other) {
    return builder.binary("less_equal", this, other);
  }

  /** {@code this > other}. */
  public Tensor gt(Tensor other) {
    return builder.binary("greater", this, other);
  }

  /** {@code this > v}. */
  public Tensor gt(double v) {
    return gt(builder.scalarLike(this, v));
  }

  /** {@code this < v}. */
  public Tensor lt(double v) {
    return lt(builder.scalarLike(this, v));
  }

  /** {@code this >= other}. */
  public Tensor ge(Tensor other) {
    return builder.binary("greater_equal", this, other);
  }

  /** {@code this == other}. */
  public Tensor eq(Tensor other) {
    return builder.binary("equal", this, other);
  }

  /** {@code this != other}. */
  public Tensor ne(Tensor other) {
    return builder.binary("not_equal", this, other);
  }

  /** Elementwise logical and. */
  public Tensor and(Tensor other) {
    return builder.binary("logical_and", this, other);
  }

  /** Elementwise logical or. */
  public Tensor or(Tensor other) {
    return builder.binary("logical_or", this, other);
  }

  /** Elementwise logical not. */
  public Tensor not() {
    return unary("logical_not");
  }

  // ------------------------------------------------------------------ unary math

  /** Applies a unary catalogue op by name ({@code "erf"}). */
  public Tensor unary(String op) {
    return builder.unary(op, this, Map.of());
  }

  /** Elementwise absolute value. */
  public Tensor abs() {
    return unary("abs");
  }

  /** Elementwise square root. */
  public Tensor sqrt() {
    return unary("sqrt");
  }

  /** Elementwise square. */
  public Tensor square() {
    return unary("square");
  }

  /** Elementwise exponential. */
  public Tensor exp() {
    return unary("exp");
  }

  /** Elementwise natural logarithm. */
  public Tensor log() {
    return unary("log");
  }

  /** Elementwise sine. */
  public Tensor sin() {
    return unary("sin");
  }

  /** Elementwise cosine. */
  public Tensor cos() {
    return unary("cos");
  }

  /** Elementwise hyperbolic tangent. */
  public Tensor tanh() {
    return unary("tanh");
  }

  /** Elementwise logistic function. */
  public Tensor sigmoid() {
    return unary("sigmoid");
  }

  /** Elementwise {@code max(x, 0)}. */
  public Tensor relu() {
    return unary("relu");
  }

  /** Elementwise limit to [lo, hi]. */
  public Tensor clip(double lo, double hi) {
    return builder.unary("clip", this, GraphBuilder.params("min", lo, "max", hi));
  }

  /** Elementwise conversion. */
  public Tensor astype(DType dtype) {
    return builder.unary("astype", this, GraphBuilder.params("dtype", dtype.wireName()));
  }

  // ------------------------------------------------------------------ shape

  /** The transpose ({@code x.T}): axes reversed. */
  public Tensor T() {
    return builder.unary("transpose", this, Map.of());
  }

  /** Permutes the axes. */
  public Tensor transpose(long... axes) {
    return builder.unary("transpose", this, GraphBuilder.params("axes", list(axes)));
  }

  /** The same elements in another shape; one dimension may be -1. */
  public Tensor reshape(long... dims) {
    return builder.unary("reshape", this, GraphBuilder.params("shape", list(dims)));
  }

  /** {@code x[start:stop]} along axis 0. */
  public Tensor slice(long start, long stop) {
    return builder.unary(
        "slice", this, GraphBuilder.params("start", List.of(start), "stop", List.of(stop)));
  }

  /** Inserts an axis of length one. */
  public Tensor expandDims(long axis) {
    return builder.unary("expand_dims", this, GraphBuilder.params("axis", axis));
  }

  /** Removes axes of length one. */
  public Tensor squeeze() {
    return builder.unary("squeeze", this, Map.of());
  }

  // ------------------------------------------------------------------ reductions

  /** Applies a reduction by name over axes (all when none given). */
  public Tensor reduce(String op, boolean keepdims, long... axes) {
    Map<String, Object> p = GraphBuilder.params("keepdims", keepdims);
    if (axes.length > 0) {
      p.put("axis", list(axes));
    }
    return builder.unary(op, this, p);
  }

  /** Sum over axes (all when none given). */
  public Tensor sum(long... axes) {
    return reduce("sum", false, axes);
  }

  /** Mean over axes (all when none given). */
  public Tensor mean(long... axes) {
    return reduce("mean", false, axes);
  }

  /** Maximum over axes (all when none given). */
  public Tensor max(long... axes) {
    return reduce("max", false, axes);
  }

  /** Minimum over axes (all when none given). */
  public Tensor min(long... axes) {
    return reduce("min", false, axes);
  }

  /** Index of the maximum along an axis. */
  public Tensor argmax(long axis) {
    return builder.unary("argmax", this, GraphBuilder.params("axis", axis));
  }

  /** Index of the minimum along an axis. */
  public Tensor argmin(long axis) {
    return builder.unary("argmin", this, GraphBuilder.params("axis", axis));
  }

  // ------------------------------------------------------------------ linear algebra

  /** {@code this @ other}. */
  public Tensor matmul(Tensor other) {
    return builder.binary("matmul", this, other);
  }

  /** {@code numpy.dot(this, other)}. */
  public Tensor dot(Tensor other) {
    return builder.binary("dot", this, other);
  }

  private static List<Object> list(long... v) {
    List<Object> l = new ArrayList<>();
    for (long x : v) {
      l.add(x);
    }
    return l;
  }
}
