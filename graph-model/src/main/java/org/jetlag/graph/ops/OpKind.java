package org.jetlag.graph.ops;

/**
 * What an op computes, as a small closed set of families; runners dispatch on it with {@link
 * Visitor} and on each family's enum with exhaustive {@code switch} expressions, so an op added to
 * the catalogue without a kernel is a compile error.
 */
public sealed interface OpKind {

  /** Calls the visitor method for this family. */
  <R> R accept(Visitor<R> v);

  /** True for ops that map elements independently (and broadcast): these fuse into one pass. */
  default boolean isElementwise() {
    return false;
  }

  /** One method per family. */
  interface Visitor<R> {
    /** An elementwise function of one array. */
    R unary(UnaryFn fn);

    /** An elementwise function of two broadcast arrays. */
    R binary(BinaryFn fn);

    /** {@code where(cond, a, b)}. */
    R where();

    /** {@code clip(x, min, max)} with bounds as parameters. */
    R clip();

    /** {@code astype(x, dtype)}. */
    R cast();

    /** A reduction over axes. */
    R reduce(ReduceFn fn);

    /** An op that creates an array from parameters alone. */
    R create(CreateFn fn);

    /** An op that rearranges elements without computing on them. */
    R shape(ShapeFn fn);

    /** A linear-algebra op. */
    R linalg(LinalgFn fn);

    /** Sorting along an axis. */
    R sort(SortFn fn);

    /** Reading or writing a file named by a parameter. */
    R io(IoFn fn);

    /** A graph's named input or output. */
    R graphPort(GraphPortFn fn);

    /** A node whose body is a sub-graph. */
    R control(ControlFn fn);
  }

  /**
   * A visitor for code that handles only the elementwise families (fused kernels): every other
   * family throws {@link IllegalStateException}.
   */
  abstract class ElementwiseVisitor<R> implements Visitor<R> {
    private static IllegalStateException notElementwise(Enum<?> fn) {
      return new IllegalStateException(fn.name() + " is not elementwise");
    }

    @Override
    public R reduce(ReduceFn fn) {
      throw notElementwise(fn);
    }

    @Override
    public R create(CreateFn fn) {
      throw notElementwise(fn);
    }

    @Override
    public R shape(ShapeFn fn) {
      throw notElementwise(fn);
    }

    @Override
    public R linalg(LinalgFn fn) {
      throw notElementwise(fn);
    }

    @Override
    public R sort(SortFn fn) {
      throw notElementwise(fn);
    }

    @Override
    public R io(IoFn fn) {
      throw notElementwise(fn);
    }

    @Override
    public R graphPort(GraphPortFn fn) {
      throw notElementwise(fn);
    }

    @Override
    public R control(ControlFn fn) {
      throw notElementwise(fn);
    }
  }

  /** Elementwise functions of one argument. */
  enum UnaryFn {
    NEG,
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
    ROUND,
    LOGICAL_NOT,
    ISNAN,
    ISFINITE
  }

  /** Elementwise functions of two broadcast arguments. */
  enum BinaryFn {
    ADD,
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
    GREATER_EQUAL,
    LOGICAL_AND,
    LOGICAL_OR;

    /** True for the comparisons, whose result is bool. */
    public boolean isComparison() {
      return ordinal() >= EQUAL.ordinal() && ordinal() <= GREATER_EQUAL.ordinal();
    }

    /** True for logical and/or, whose result is bool. */
    public boolean isLogical() {
      return this == LOGICAL_AND || this == LOGICAL_OR;
    }
  }

  /** Reductions with {@code axis} and {@code keepdims}. */
  enum ReduceFn {
    SUM,
    PROD,
    MEAN,
    VAR,
    STD,
    MIN,
    MAX,
    ARGMIN,
    ARGMAX,
    ALL,
    ANY,
    LOGSUMEXP
  }

  /** Array creation from parameters. */
  enum CreateFn {
    CONSTANT,
    ZEROS,
    ONES,
    FULL,
    ARANGE,
    LINSPACE,
    EYE,
    RANDOM_UNIFORM,
    RANDOM_NORMAL
  }

  /** Shape manipulation. */
  enum ShapeFn {
    RESHAPE,
    TRANSPOSE,
    SLICE,
    CONCAT,
    STACK,
    SQUEEZE,
    EXPAND_DIMS
  }

  /** Linear algebra. */
  enum LinalgFn {
    MATMUL,
    DOT,
    OUTER,
    SOLVE,
    INVERSE,
    DET,
    NORM
  }

  /** Sorting. */
  enum SortFn {
    SORT,
    ARGSORT
  }

  /** File input and output. */
  enum IoFn {
    READ_ARROW,
    READ_NPY,
    READ_CSV,
    WRITE_ARROW,
    WRITE_NPY,
    WRITE_CSV;

    /** True for the readers. */
    public boolean isRead() {
      return this == READ_ARROW || this == READ_NPY || this == READ_CSV;
    }
  }

  /** Graph boundary nodes. */
  enum GraphPortFn {
    INPUT,
    OUTPUT
  }

  /** Nodes with a body. */
  enum ControlFn {
    COMPOSITE,
    LOOP
  }

  /** See {@link UnaryFn}. */
  record Unary(UnaryFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.unary(fn);
    }

    @Override
    public boolean isElementwise() {
      return true;
    }
  }

  /** See {@link BinaryFn}. */
  record Binary(BinaryFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.binary(fn);
    }

    @Override
    public boolean isElementwise() {
      return true;
    }
  }

  /** {@code where}. */
  record Where() implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.where();
    }

    @Override
    public boolean isElementwise() {
      return true;
    }
  }

  /** {@code clip}. */
  record Clip() implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.clip();
    }

    @Override
    public boolean isElementwise() {
      return true;
    }
  }

  /** {@code astype}. */
  record Cast() implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.cast();
    }

    @Override
    public boolean isElementwise() {
      return true;
    }
  }

  /** See {@link ReduceFn}. */
  record Reduce(ReduceFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.reduce(fn);
    }
  }

  /** See {@link CreateFn}. */
  record Create(CreateFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.create(fn);
    }
  }

  /** See {@link ShapeFn}. */
  record ShapeOp(ShapeFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.shape(fn);
    }
  }

  /** See {@link LinalgFn}. */
  record Linalg(LinalgFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.linalg(fn);
    }
  }

  /** See {@link SortFn}. */
  record Sort(SortFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.sort(fn);
    }
  }

  /** See {@link IoFn}. */
  record Io(IoFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.io(fn);
    }
  }

  /** See {@link GraphPortFn}. */
  record GraphPort(GraphPortFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.graphPort(fn);
    }
  }

  /** See {@link ControlFn}. */
  record Control(ControlFn fn) implements OpKind {
    @Override
    public <R> R accept(Visitor<R> v) {
      return v.control(fn);
    }
  }
}
