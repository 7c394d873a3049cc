package org.jetlag.graph.ops;

import static org.jetlag.graph.ops.ParamSpec.absentable;
import static org.jetlag.graph.ops.ParamSpec.optional;
import static org.jetlag.graph.ops.ParamSpec.required;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.OpKind.BinaryFn;
import org.jetlag.graph.ops.OpKind.CreateFn;
import org.jetlag.graph.ops.OpKind.IoFn;
import org.jetlag.graph.ops.OpKind.LinalgFn;
import org.jetlag.graph.ops.OpKind.ReduceFn;
import org.jetlag.graph.ops.OpKind.ShapeFn;
import org.jetlag.graph.ops.OpKind.SortFn;
import org.jetlag.graph.ops.OpKind.UnaryFn;

/**
 * The op catalogue: every op JetLag knows, in a fixed order, looked up by wire name.
 *
 * <p>This is the one place ops are declared. The palette, the property sheet, {@code jetlag ops},
 * {@code docs/ops.md}, validation and every runner read it.
 */
public final class Ops {
  /** The name of a node's output port for ops with one output. */
  public static final String OUT = "out";

  /** Palette categories in display order. */
  public static final List<String> CATEGORIES =
      List.of(
          "graph",
          "arithmetic",
          "comparison",
          "math",
          "creation",
          "shape",
          "reduction",
          "linear algebra",
          "sorting",
          "io",
          "control");

  // Declared before the static block that builds the catalogue: static fields initialise in
  // textual order, and the block reads these.
  private static final PortSpec X = PortSpec.of("x", "the input array");
  private static final PortSpec OUT_PORT = PortSpec.of(OUT, "the result");

  private static final List<OpSpec> ALL;
  private static final Map<String, OpSpec> BY_NAME;

  static {
    List<OpSpec> l = new ArrayList<>();
    graphPorts(l);
    elementwise(l);
    creation(l);
    shapes(l);
    reductions(l);
    linalg(l);
    sorting(l);
    io(l);
    control(l);
    ALL = List.copyOf(l);
    Map<String, OpSpec> m = new LinkedHashMap<>();
    for (OpSpec s : ALL) {
      if (m.put(s.name(), s) != null) {
        throw new IllegalStateException("duplicate op " + s.name());
      }
    }
    BY_NAME = Collections.unmodifiableMap(m);
  }

  private Ops() {}

  /** Every op in catalogue order (by category, then as declared). */
  public static List<OpSpec> all() {
    return ALL;
  }

  /** The op with that wire name, if any. */
  public static Optional<OpSpec> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The op with that wire name. */
  public static OpSpec get(String name) {
    return byName(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown op '" + name + "'"));
  }

  /** The wire name of a unary function ({@code LOG1P} is {@code "log1p"}). */
  public static String wireName(Enum<?> fn) {
    return fn.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static OpSpec op(
      String name,
      String category,
      String doc,
      List<PortSpec> in,
      List<ParamSpec> params,
      OpKind kind,
      TypeRule rule) {
    return new OpSpec(name, category, doc, in, List.of(OUT_PORT), params, kind, rule);
  }

  // ---------------------------------------------------------------- graph boundary

  private static void graphPorts(List<OpSpec> l) {
    l.add(
        op(
            "input",
            "graph",
            "A named graph input, supplied at run time (rows may be unknown: shape [null, 10]).",
            List.of(),
            List.of(
                required("name", ParamType.STRING, "the input's name, used by --input name=file"),
                optional("dtype", ParamType.DTYPE, "float64", "element type"),
                required("shape", ParamType.SHAPE, "dimensions; null in front for unknown rows")),
            new OpKind.GraphPort(OpKind.GraphPortFn.INPUT),
            c -> {
              Shape s = c.getShape("shape");
              for (int i = 1; i < s.rank(); i++) {
                if (s.dim(i) == Shape.UNKNOWN) {
                  throw new OpTypeException(
                      "shape", "only the leading dimension may be unknown, got " + s);
                }
              }
              return Rules.one(new TensorType(c.getDType("dtype"), s));
            }));
    l.add(
        new OpSpec(
            "output",
            "graph",
            "A named graph output: the array on its input is returned to the caller.",
            List.of(X),
            List.of(),
            List.of(required("name", ParamType.STRING, "the output's name")),
            new OpKind.GraphPort(OpKind.GraphPortFn.OUTPUT),
            c -> List.of()));
  }

  // ---------------------------------------------------------------- elementwise

  private static void elementwise(List<OpSpec> l) {
    binary(l, BinaryFn.ADD, "arithmetic", "Elementwise a + b with broadcasting.");
    binary(l, BinaryFn.SUB, "arithmetic", "Elementwise a - b with broadcasting.");
    binary(l, BinaryFn.MUL, "arithmetic", "Elementwise a * b with broadcasting.");
    binary(
        l, BinaryFn.DIV, "arithmetic", "Elementwise true division a / b (integers give float64).");
    binary(l, BinaryFn.POW, "arithmetic", "Elementwise a ** b.");
    binary(
        l, BinaryFn.MOD, "arithmetic", "Elementwise remainder with the sign of b, as numpy.mod.");
    binary(l, BinaryFn.MAXIMUM, "arithmetic", "Elementwise maximum; NaN wins, as numpy.maximum.");
    binary(l, BinaryFn.MINIMUM, "arithmetic", "Elementwise minimum; NaN wins, as numpy.minimum.");
    unary(l, UnaryFn.NEG, "arithmetic", "Elementwise -x.");
    binary(l, BinaryFn.EQUAL, "comparison", "Elementwise a == b, giving bool.");
    binary(l, BinaryFn.NOT_EQUAL, "comparison", "Elementwise a != b, giving bool.");
    binary(l, BinaryFn.LESS, "comparison", "Elementwise a < b, giving bool.");
    binary(l, BinaryFn.LESS_EQUAL, "comparison", "Elementwise a <= b, giving bool.");
    binary(l, BinaryFn.GREATER, "comparison", "Elementwise a > b, giving bool.");
    binary(l, BinaryFn.GREATER_EQUAL, "comparison", "Elementwise a >= b, giving bool.");
    binary(l, BinaryFn.LOGICAL_AND, "comparison", "Elementwise logical and (non-zero is true).");
    binary(l, BinaryFn.LOGICAL_OR, "comparison", "Elementwise logical or (non-zero is true).");
    unary(l, UnaryFn.LOGICAL_NOT, "comparison", "Elementwise logical not (non-zero is true).");
    unary(l, UnaryFn.ISNAN, "comparison", "Elementwise test for NaN, giving bool.");
    unary(l, UnaryFn.ISFINITE, "comparison", "Elementwise test for a finite value, giving bool.");
    l.add(
        op(
            "where",
            "comparison",
            "Elementwise choice: a where cond is true, else b (all three broadcast).",
            List.of(
                PortSpec.of("cond", "where to take a (non-zero is true)"),
                PortSpec.of("a", "values where cond is true"),
                PortSpec.of("b", "values where cond is false")),
            List.of(),
            new OpKind.Where(),
            c ->
                Rules.one(
                    new TensorType(
                        DType.promote(c.in("a").dtype(), c.in("b").dtype()),
                        Rules.broadcast(c, "cond", "a", "b")))));
    l.add(
        op(
            "clip",
            "math",
            "Elementwise limit of x to [min, max]; an unset bound is open.",
            List.of(X),
            List.of(
                absentable("min", ParamType.FLOAT, "lower bound; unset for none"),
                absentable("max", ParamType.FLOAT, "upper bound; unset for none")),
            new OpKind.Clip(),
            c -> {
              Rules.numeric(c.in("x"), "x");
              return Rules.one(c.in("x"));
            }));
    l.add(
        op(
            "astype",
            "math",
            "Elementwise conversion to another dtype (floats to ints truncate toward zero).",
            List.of(X),
            List.of(required("dtype", ParamType.DTYPE, "the target element type")),
            new OpKind.Cast(),
            c -> Rules.one(c.in("x").withDType(c.getDType("dtype")))));
    unary(l, UnaryFn.ABS, "math", "Elementwise absolute value.");
    unary(l, UnaryFn.SIGN, "math", "Elementwise sign: -1, 0 or 1 (NaN stays NaN).");
    unary(l, UnaryFn.SQRT, "math", "Elementwise square root (negative gives NaN).");
    unary(l, UnaryFn.SQUARE, "math", "Elementwise x * x.");
    unary(l, UnaryFn.EXP, "math", "Elementwise e ** x.");
    unary(l, UnaryFn.LOG, "math", "Elementwise natural logarithm (0 gives -inf, negative NaN).");
    unary(l, UnaryFn.LOG1P, "math", "Elementwise log(1 + x), accurate for small x.");
    unary(l, UnaryFn.SIN, "math", "Elementwise sine (radians).");
    unary(l, UnaryFn.COS, "math", "Elementwise cosine (radians).");
    unary(l, UnaryFn.TAN, "math", "Elementwise tangent (radians).");
    unary(l, UnaryFn.TANH, "math", "Elementwise hyperbolic tangent.");
    unary(l, UnaryFn.SIGMOID, "math", "Elementwise logistic function 1 / (1 + e ** -x).");
    unary(l, UnaryFn.RELU, "math", "Elementwise max(x, 0).");
    unary(l, UnaryFn.ERF, "math", "Elementwise Gauss error function.");
    unary(l, UnaryFn.FLOOR, "math", "Elementwise largest integer not above x.");
    unary(l, UnaryFn.CEIL, "math", "Elementwise smallest integer not below x.");
    unary(l, UnaryFn.ROUND, "math", "Elementwise rounding to nearest, ties to even (numpy.round).");
  }

  private static void binary(List<OpSpec> l, BinaryFn fn, String category, String doc) {
    l.add(
        op(
            wireName(fn),
            category,
            doc,
            List.of(PortSpec.of("a", "left operand"), PortSpec.of("b", "right operand")),
            List.of(),
            new OpKind.Binary(fn),
            c -> Rules.one(new TensorType(binaryDType(fn, c), Rules.broadcast(c, "a", "b")))));
  }

  private static DType binaryDType(BinaryFn fn, InferContext c) {
    DType a = c.in("a").dtype();
    DType b = c.in("b").dtype();
    if (fn.isComparison() || fn.isLogical()) {
      return DType.BOOL;
    }
    DType p = DType.promote(a, b);
    switch (fn) {
      case DIV:
        return p.toFloating();
      case SUB:
      case POW:
      case MOD:
        if (p == DType.BOOL) {
          throw new OpTypeException(
              "a", "expected a numeric dtype for " + wireName(fn) + ", got bool and bool");
        }
        return p;
      default:
        return p;
    }
  }

  private static void unary(List<OpSpec> l, UnaryFn fn, String category, String doc) {
    l.add(
        op(
            wireName(fn),
            category,
            doc,
            List.of(X),
            List.of(),
            new OpKind.Unary(fn),
            c -> Rules.one(c.in("x").withDType(unaryDType(fn, c.in("x"))))));
  }

  /** The result dtype of a unary function applied to {@code t}. */
  static DType unaryDType(UnaryFn fn, TensorType t) {
    DType d = t.dtype();
    switch (fn) {
      case LOGICAL_NOT:
      case ISNAN:
      case ISFINITE:
        return DType.BOOL;
      case NEG:
      case SIGN:
      case RELU:
      case SQUARE:
      case ABS:
      case ROUND:
        return Rules.numeric(t, "x");
      case FLOOR:
      case CEIL:
        // NumPy 2 keeps integer dtypes for floor and ceil
        return d.isInteger() ? d : d.toFloating();
      case SQRT:
      case EXP:
      case LOG:
      case LOG1P:
      case SIN:
      case COS:
      case TAN:
      case TANH:
      case SIGMOID:
      case ERF:
        return d.toFloating();
    }
    throw new IllegalStateException("unhandled " + fn);
  }

  // ---------------------------------------------------------------- creation

  private static ParamSpec dtypeParam(String def) {
    return optional("dtype", ParamType.DTYPE, def, "element type");
  }

  private static ParamSpec shapeParam() {
    return required("shape", ParamType.SHAPE, "dimensions of the result");
  }

  private static Shape knownShape(InferContext c) {
    Shape s = c.getShape("shape");
    if (!s.isKnown()) {
      throw new OpTypeException("shape", "expected known dimensions, got " + s);
    }
    return s;
  }

  private static OpSpec creation(CreateFn fn, String doc, List<ParamSpec> params, TypeRule rule) {
    return op(wireName(fn), "creation", doc, List.of(), params, new OpKind.Create(fn), rule);
  }

  private static void creation(List<OpSpec> l) {
    l.add(
        creation(
            CreateFn.CONSTANT,
            "An array written inline as nested lists.",
            List.of(
                required("value", ParamType.TENSOR, "nested lists of numbers"),
                dtypeParam("float64")),
            c -> Rules.one(new TensorType(c.getDType("dtype"), c.getLiteral("value").shape()))));
    l.add(
        creation(
            CreateFn.ZEROS,
            "An array of zeros.",
            List.of(shapeParam(), dtypeParam("float64")),
            c -> Rules.one(new TensorType(c.getDType("dtype"), knownShape(c)))));
    l.add(
        creation(
            CreateFn.ONES,
            "An array of ones.",
            List.of(shapeParam(), dtypeParam("float64")),
            c -> Rules.one(new TensorType(c.getDType("dtype"), knownShape(c)))));
    l.add(
        creation(
            CreateFn.FULL,
            "An array filled with one value.",
            List.of(
                shapeParam(),
                required("fill_value", ParamType.FLOAT, "the value of every element"),
                dtypeParam("float64")),
            c -> Rules.one(new TensorType(c.getDType("dtype"), knownShape(c)))));
    l.add(
        creation(
            CreateFn.ARANGE,
            "Evenly spaced values in [start, stop) with a step, as numpy.arange.",
            List.of(
                optional("start", ParamType.FLOAT, 0L, "first value"),
                required("stop", ParamType.FLOAT, "end, excluded"),
                optional("step", ParamType.FLOAT, 1L, "spacing, non-zero"),
                absentable(
                    "dtype", ParamType.DTYPE, "element type; int64 when all three are integers")),
            c -> {
              double start = c.getDouble("start");
              double stop = c.getDouble("stop");
              double step = c.getDouble("step");
              if (step == 0 || !Double.isFinite(step)) {
                throw new OpTypeException("step", "expected a finite non-zero step, got " + step);
              }
              double n = Math.ceil((stop - start) / step);
              if (!(n < 1e15)) {
                throw new OpTypeException(
                    "stop",
                    "expected at most 1e15 values, got " + n + " from " + start + ".." + stop);
              }
              DType dt =
                  c.param("dtype")
                      .map(DType.class::cast)
                      .orElse(
                          isInt(start) && isInt(stop) && isInt(step) ? DType.INT64 : DType.FLOAT64);
              return Rules.one(TensorType.of(dt, Math.max(0, (long) n)));
            }));
    l.add(
        creation(
            CreateFn.LINSPACE,
            "num evenly spaced values from start to stop, as numpy.linspace.",
            List.of(
                required("start", ParamType.FLOAT, "first value"),
                required("stop", ParamType.FLOAT, "last value (if endpoint)"),
                optional("num", ParamType.INT, 50L, "number of values").withRange(0, 1e15),
                optional("endpoint", ParamType.BOOL, true, "whether stop is included"),
                dtypeParam("float64")),
            c -> Rules.one(TensorType.of(c.getDType("dtype"), c.getLong("num")))));
    l.add(
        creation(
            CreateFn.EYE,
            "A 2-D array with ones on diagonal k and zeros elsewhere.",
            List.of(
                required("n", ParamType.INT, "rows").withRange(0, 1e9),
                absentable("m", ParamType.INT, "columns; n when unset"),
                optional("k", ParamType.INT, 0L, "diagonal offset: 0 main, >0 above"),
                dtypeParam("float64")),
            c -> {
              long n = c.getLong("n");
              long m = c.param("m").map(Long.class::cast).orElse(n);
              if (m < 0) {
                throw new OpTypeException("m", "expected a non-negative column count, got " + m);
              }
              return Rules.one(new TensorType(c.getDType("dtype"), Rules.checkedShape("n", n, m)));
            }));
    l.add(
        creation(
            CreateFn.RANDOM_UNIFORM,
            "Seeded uniform random values in [low, high); the same seed gives the same array"
                + " on every runner.",
            List.of(
                shapeParam(),
                optional("low", ParamType.FLOAT, 0L, "lower bound, included"),
                optional("high", ParamType.FLOAT, 1L, "upper bound, excluded"),
                optional("seed", ParamType.INT, 0L, "generator seed"),
                dtypeParam("float64")),
            c -> {
              floatOnly(c);
              return Rules.one(new TensorType(c.getDType("dtype"), knownShape(c)));
            }));
    l.add(
        creation(
            CreateFn.RANDOM_NORMAL,
            "Seeded normal random values with a mean and standard deviation.",
            List.of(
                shapeParam(),
                optional("mean", ParamType.FLOAT, 0L, "mean"),
                optional("std", ParamType.FLOAT, 1L, "standard deviation").withRange(0, 1e300),
                optional("seed", ParamType.INT, 0L, "generator seed"),
                dtypeParam("float64")),
            c -> {
              floatOnly(c);
              return Rules.one(new TensorType(c.getDType("dtype"), knownShape(c)));
            }));
  }

  private static void floatOnly(InferContext c) {
    if (!c.getDType("dtype").isFloating()) {
      throw new OpTypeException("dtype", "expected float64 or float32, got " + c.getDType("dtype"));
    }
  }

  private static boolean isInt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 9e15;
  }

  // ---------------------------------------------------------------- shape

  private static OpSpec shapeOp(
      ShapeFn fn, String doc, List<PortSpec> in, List<ParamSpec> params, TypeRule rule) {
    return op(wireName(fn), "shape", doc, in, params, new OpKind.ShapeOp(fn), rule);
  }

  private static void shapes(List<OpSpec> l) {
    l.add(
        shapeOp(
            ShapeFn.RESHAPE,
            "The same elements in another shape; one dimension may be -1 (inferred).",
            List.of(X),
            List.of(required("shape", ParamType.INT_LIST, "new dimensions, one may be -1")),
            c -> Rules.one(c.in("x").withShape(reshape(c.in("x"), c.getLongs("shape").get())))));
    l.add(
        shapeOp(
            ShapeFn.TRANSPOSE,
            "Permutes the axes; reverses them when axes is unset (x.T).",
            List.of(X),
            List.of(absentable("axes", ParamType.INT_LIST, "the new order of the axes")),
            c -> {
              Shape s = c.in("x").shape();
              int r = s.rank();
              long[] perm = new long[r];
              Optional<List<Long>> axes = c.getLongs("axes");
              if (axes.isPresent() && axes.get().size() != r) {
                throw new OpTypeException(
                    "axes",
                    "expected a permutation of the "
                        + r
                        + " axes of "
                        + c.in("x")
                        + ", got "
                        + axes.get());
              }
              boolean[] seen = new boolean[r];
              for (int i = 0; i < r; i++) {
                long a =
                    axes.isPresent()
                        ? (i < axes.get().size() ? axes.get().get(i) : -99)
                        : r - 1 - i;
                int n = s.normaliseAxis(a);
                if (axes.isPresent() && axes.get().size() != r || n < 0 || seen[n]) {
                  throw new OpTypeException(
                      "axes",
                      "expected a permutation of the "
                          + r
                          + " axes of "
                          + c.in("x")
                          + ", got "
                          + axes.map(Object::toString).orElse(""));
                }
                seen[n] = true;
                perm[i] = s.dim(n);
              }
              return Rules.one(c.in("x").withShape(Shape.of(perm)));
            }));
    l.add(
        shapeOp(
            ShapeFn.SLICE,
            "Selects start:stop:step along each axis (Python semantics; unset axes are whole).",
            List.of(X),
            List.of(
                optional("start", ParamType.INT_LIST, List.of(), "first index per axis"),
                optional("stop", ParamType.INT_LIST, List.of(), "end index per axis, excluded"),
                optional("step", ParamType.INT_LIST, List.of(), "step per axis, non-zero")),
            c -> {
              Shape s = c.in("x").shape();
              long[][] sl =
                  SliceMath.resolve(
                      s,
                      c.getLongs("start").get(),
                      c.getLongs("stop").get(),
                      c.getLongs("step").get());
              long[] d = new long[s.rank()];
              for (int i = 0; i < d.length; i++) {
                d[i] = sl[i][2];
              }
              return Rules.one(c.in("x").withShape(Shape.of(d)));
            }));
    PortSpec arrays = new PortSpec("arrays", "the arrays, addressed arrays.0, arrays.1, ...", true);
    l.add(
        shapeOp(
            ShapeFn.CONCAT,
            "Joins arrays along an existing axis.",
            List.of(arrays),
            List.of(optional("axis", ParamType.INT, 0L, "the axis to join along")),
            c -> Rules.one(concat(c, false))));
    l.add(
        shapeOp(
            ShapeFn.STACK,
            "Joins equally shaped arrays along a new axis.",
            List.of(arrays),
            List.of(optional("axis", ParamType.INT, 0L, "position of the new axis")),
            c -> Rules.one(concat(c, true))));
    l.add(
        shapeOp(
            ShapeFn.SQUEEZE,
            "Removes axes of length one (the given ones, or all).",
            List.of(X),
            List.of(
                absentable("axis", ParamType.INT_LIST, "axes to remove; all of length 1 if unset")),
            c -> {
              Shape s = c.in("x").shape();
              boolean[] red = new boolean[s.rank()];
              if (c.getLongs("axis").isPresent()) {
                red = Rules.reducedAxes(c, s);
                for (int i = 0; i < red.length; i++) {
                  if (red[i] && s.dim(i) != 1) {
                    throw new OpTypeException(
                        "axis", "expected axis " + i + " of length 1, got " + c.in("x"));
                  }
                }
              } else {
                for (int i = 0; i < red.length; i++) {
                  red[i] = s.dim(i) == 1;
                }
              }
              return Rules.one(c.in("x").withShape(Rules.reducedShape(s, red, false)));
            }));
    l.add(
        shapeOp(
            ShapeFn.EXPAND_DIMS,
            "Inserts an axis of length one.",
            List.of(X),
            List.of(required("axis", ParamType.INT, "position of the new axis")),
            c -> {
              Shape s = c.in("x").shape();
              int ax = Rules.axis(c, "axis", s.rank() + 1);
              List<Long> d = new ArrayList<>(s.toList());
              d.add(ax, 1L);
              if (d.size() > Shape.MAX_RANK) {
                throw new OpTypeException(
                    "x", "expected rank below " + Shape.MAX_RANK + ", got " + c.in("x"));
              }
              return Rules.one(c.in("x").withShape(Shape.of(d)));
            }));
  }

  private static Shape reshape(TensorType in, List<Long> target) {
    if (target.size() > Shape.MAX_RANK) {
      throw new OpTypeException(
          "shape", "expected at most " + Shape.MAX_RANK + " dims, got " + target);
    }
    int infer = -1;
    long known = 1;
    for (int i = 0; i < target.size(); i++) {
      long d = target.get(i);
      if (d == -1) {
        if (infer >= 0) {
          throw new OpTypeException("shape", "expected at most one -1, got " + target);
        }
        infer = i;
      } else if (d < 0) {
        throw new OpTypeException("shape", "expected dimensions >= 0 or one -1, got " + target);
      } else {
        try {
          known = Math.multiplyExact(known, d);
        } catch (ArithmeticException e) {
          throw new OpTypeException("shape", "element count of " + target + " overflows");
        }
      }
    }
    long[] out = target.stream().mapToLong(Long::longValue).toArray();
    Shape s = in.shape();
    if (!s.isKnown()) {
      long row = s.rowSize();
      if (infer < 0 || row == Shape.UNKNOWN || known == 0 || row % known != 0 && known % row != 0) {
        throw new OpTypeException(
            "shape",
            "cannot reshape "
                + in
                + " (unknown size) into "
                + target
                + ": use -1 for the unknown part");
      }
      out[infer] = Shape.UNKNOWN;
      return Shape.of(out);
    }
    long size = s.knownSize();
    if (infer >= 0) {
      if (known == 0 || size % known != 0) {
        throw new OpTypeException(
            "shape", "cannot reshape " + in + " (" + size + " elements) into " + target);
      }
      out[infer] = size / known;
    } else if (known != size) {
      throw new OpTypeException(
          "shape",
          "cannot reshape "
              + in
              + " ("
              + size
              + " elements) into "
              + target
              + " ("
              + known
              + " elements)");
    }
    return Shape.of(out);
  }

  private static TensorType concat(InferContext c, boolean stack) {
    List<TensorType> ins = c.variadic("arrays");
    if (ins.isEmpty()) {
      throw new OpTypeException("arrays", "expected at least one array, got none");
    }
    TensorType first = ins.get(0);
    int rank = first.shape().rank();
    int ax = Rules.axis(c, "axis", stack ? rank + 1 : Math.max(rank, 1));
    if (!stack && rank == 0) {
      throw new OpTypeException("arrays.0", "expected arrays of rank 1 or more, got a scalar");
    }
    DType dt = first.dtype();
    long joined = 0;
    for (int i = 0; i < ins.size(); i++) {
      TensorType t = ins.get(i);
      dt = DType.promote(dt, t.dtype());
      if (t.shape().rank() != rank) {
        throw new OpTypeException(
            "arrays." + i, "expected rank " + rank + " like arrays.0 " + first + ", got " + t);
      }
      for (int d = 0; d < rank; d++) {
        if ((stack || d != ax) && !Rules.dimsMatch(t.shape().dim(d), first.shape().dim(d))) {
          throw new OpTypeException(
              "arrays." + i,
              "expected the shape of arrays.0 "
                  + first
                  + (stack ? "" : " except on axis " + ax)
                  + ", got "
                  + t);
        }
      }
      if (!stack) {
        long d = t.shape().dim(ax);
        joined = joined == Shape.UNKNOWN || d == Shape.UNKNOWN ? Shape.UNKNOWN : joined + d;
      }
    }
    List<Long> dims = new ArrayList<>(first.shape().toList());
    if (stack) {
      if (rank + 1 > Shape.MAX_RANK) {
        throw new OpTypeException(
            "arrays", "expected rank below " + Shape.MAX_RANK + ", got " + first);
      }
      dims.add(ax, (long) ins.size());
    } else {
      dims.set(ax, joined);
    }
    return new TensorType(dt, Shape.of(dims));
  }

  // ---------------------------------------------------------------- reductions

  private static void reductions(List<OpSpec> l) {
    reduction(l, ReduceFn.SUM, "Sum over axes (bool and int32 sum as int64).");
    reduction(l, ReduceFn.PROD, "Product over axes (bool and int32 as int64).");
    reduction(l, ReduceFn.MEAN, "Arithmetic mean over axes (integers give float64).");
    reduction(l, ReduceFn.VAR, "Variance over axes with ddof, as numpy.var.");
    reduction(l, ReduceFn.STD, "Standard deviation over axes with ddof, as numpy.std.");
    reduction(l, ReduceFn.MIN, "Minimum over axes; NaN wins; empty input is an error.");
    reduction(l, ReduceFn.MAX, "Maximum over axes; NaN wins; empty input is an error.");
    reduction(l, ReduceFn.ARGMIN, "Index of the first minimum along one axis (or flattened).");
    reduction(l, ReduceFn.ARGMAX, "Index of the first maximum along one axis (or flattened).");
    reduction(l, ReduceFn.ALL, "True where every element over the axes is non-zero.");
    reduction(l, ReduceFn.ANY, "True where some element over the axes is non-zero.");
    reduction(l, ReduceFn.LOGSUMEXP, "log(sum(exp(x))) over axes, computed stably.");
  }

  private static void reduction(List<OpSpec> l, ReduceFn fn, String doc) {
    List<ParamSpec> params = new ArrayList<>();
    boolean arg = fn == ReduceFn.ARGMIN || fn == ReduceFn.ARGMAX;
    params.add(
        arg
            ? absentable("axis", ParamType.INT, "the axis; the flattened array if unset")
            : absentable("axis", ParamType.INT_LIST, "axes to reduce; all if unset"));
    params.add(optional("keepdims", ParamType.BOOL, false, "keep reduced axes with length 1"));
    if (fn == ReduceFn.VAR || fn == ReduceFn.STD) {
      params.add(
          optional("ddof", ParamType.INT, 0L, "delta degrees of freedom: divide by N - ddof")
              .withRange(0, 1e15));
    }
    l.add(
        op(
            wireName(fn),
            "reduction",
            doc,
            List.of(X),
            params,
            new OpKind.Reduce(fn),
            c -> {
              TensorType t = c.in("x");
              Shape s = t.shape();
              boolean[] red;
              if (arg) {
                red = new boolean[s.rank()];
                Optional<Object> ax = c.param("axis");
                if (ax.isPresent()) {
                  red[Rules.axis(c, "axis", s.rank())] = true;
                } else {
                  java.util.Arrays.fill(red, true);
                }
              } else {
                red = Rules.reducedAxes(c, s);
              }
              return Rules.one(
                  new TensorType(
                      reduceDType(fn, t), Rules.reducedShape(s, red, c.getBool("keepdims"))));
            }));
  }

  private static DType reduceDType(ReduceFn fn, TensorType t) {
    DType d = t.dtype();
    switch (fn) {
      case SUM:
      case PROD:
        return d == DType.BOOL || d == DType.INT32 ? DType.INT64 : d;
      case MEAN:
      case VAR:
      case STD:
      case LOGSUMEXP:
        return d.toFloating();
      case MIN:
      case MAX:
        return d;
      case ARGMIN:
      case ARGMAX:
        return DType.INT64;
      case ALL:
      case ANY:
        return DType.BOOL;
    }
    throw new IllegalStateException("unhandled " + fn);
  }

  // ---------------------------------------------------------------- linear algebra

  private static OpSpec linalgOp(
      LinalgFn fn, String doc, List<PortSpec> in, List<ParamSpec> params, TypeRule rule) {
    return op(wireName(fn), "linear algebra", doc, in, params, new OpKind.Linalg(fn), rule);
  }

  private static void linalg(List<OpSpec> l) {
    List<PortSpec> ab =
        List.of(PortSpec.of("a", "left operand"), PortSpec.of("b", "right operand"));
    l.add(
        linalgOp(
            LinalgFn.MATMUL,
            "Matrix product a @ b with NumPy matmul rules (1-D promoted, batch dims broadcast).",
            ab,
            List.of(),
            c -> Rules.one(Rules.matmul(c))));
    l.add(
        linalgOp(
            LinalgFn.DOT,
            "Dot product of vectors or matrices (rank at most 2; use matmul for batches).",
            ab,
            List.of(),
            c -> {
              for (String p : List.of("a", "b")) {
                if (c.in(p).shape().rank() > 2) {
                  throw new OpTypeException(p, "expected rank at most 2, got " + c.in(p));
                }
              }
              return Rules.one(Rules.matmul(c));
            }));
    l.add(
        linalgOp(
            LinalgFn.OUTER,
            "Outer product of two arrays, each flattened: out[i, j] = a[i] * b[j].",
            ab,
            List.of(),
            c -> {
              Rules.numeric(c.in("a"), "a");
              Rules.numeric(c.in("b"), "b");
              long m = c.in("a").shape().size().orElse(Shape.UNKNOWN);
              long n = c.in("b").shape().size().orElse(Shape.UNKNOWN);
              return Rules.one(
                  new TensorType(
                      DType.promote(c.in("a").dtype(), c.in("b").dtype()), Shape.of(m, n)));
            }));
    l.add(
        linalgOp(
            LinalgFn.SOLVE,
            "Solves a @ x = b for x (LU with partial pivoting); singular a is an error.",
            ab,
            List.of(),
            c -> {
              TensorType a = Rules.square(c.in("a"), "a");
              TensorType b = c.in("b");
              Rules.numeric(b, "b");
              if (b.shape().rank() < 1
                  || b.shape().rank() > 2
                  || !Rules.dimsMatch(b.shape().dim(0), a.shape().dim(0))) {
                throw new OpTypeException(
                    "b",
                    "expected ["
                        + a.shape().dim(0)
                        + "] or ["
                        + a.shape().dim(0)
                        + ",k], got "
                        + b);
              }
              return Rules.one(b.withDType(DType.promote(a.dtype(), b.dtype()).toFloating()));
            }));
    l.add(
        linalgOp(
            LinalgFn.INVERSE,
            "Inverse of a square matrix; singular is an error.",
            List.of(X),
            List.of(),
            c -> {
              TensorType a = Rules.square(c.in("x"), "x");
              return Rules.one(a.withDType(a.dtype().toFloating()));
            }));
    l.add(
        linalgOp(
            LinalgFn.DET,
            "Determinant of a square matrix.",
            List.of(X),
            List.of(),
            c -> {
              TensorType a = Rules.square(c.in("x"), "x");
              return Rules.one(new TensorType(a.dtype().toFloating(), Shape.SCALAR));
            }));
    l.add(
        linalgOp(
            LinalgFn.NORM,
            "p-norm of the elements over axes (all: Frobenius for matrices), ord 2, 1 or inf.",
            List.of(X),
            List.of(
                absentable("axis", ParamType.INT_LIST, "axes to reduce; all if unset"),
                optional("ord", ParamType.STRING, "2", "which norm").withChoices("2", "1", "inf"),
                optional("keepdims", ParamType.BOOL, false, "keep reduced axes with length 1")),
            c -> {
              TensorType t = c.in("x");
              Rules.numeric(t, "x");
              boolean[] red = Rules.reducedAxes(c, t.shape());
              return Rules.one(
                  new TensorType(
                      t.dtype().toFloating(),
                      Rules.reducedShape(t.shape(), red, c.getBool("keepdims"))));
            }));
  }

  // ---------------------------------------------------------------- sorting

  private static void sorting(List<OpSpec> l) {
    for (SortFn fn : SortFn.values()) {
      boolean arg = fn == SortFn.ARGSORT;
      l.add(
          op(
              wireName(fn),
              "sorting",
              arg
                  ? "Indices that sort x along an axis (stable; NaN last)."
                  : "x sorted ascending along an axis (NaN last).",
              List.of(X),
              List.of(optional("axis", ParamType.INT, -1L, "the axis to sort along")),
              new OpKind.Sort(fn),
              c -> {
                TensorType t = c.in("x");
                if (t.shape().rank() == 0) {
                  throw new OpTypeException("x", "expected an array of rank 1 or more, got " + t);
                }
                Rules.axis(c, "axis", t.shape().rank());
                return Rules.one(arg ? t.withDType(DType.INT64) : t);
              }));
    }
  }

  // ---------------------------------------------------------------- io

  private static void io(List<OpSpec> l) {
    for (IoFn fn : IoFn.values()) {
      String fmt =
          fn == IoFn.READ_ARROW || fn == IoFn.WRITE_ARROW
              ? "an Arrow IPC file"
              : fn == IoFn.READ_NPY || fn == IoFn.WRITE_NPY ? "a NumPy .npy file" : "a CSV file";
      List<ParamSpec> params = new ArrayList<>();
      params.add(required("path", ParamType.STRING, "file path, relative to the graph file"));
      if (fn.isRead()) {
        params.add(dtypeParam("float64"));
        params.add(
            required("shape", ParamType.SHAPE, "expected dimensions; null in front for any rows"));
      }
      if (fn == IoFn.READ_CSV) {
        params.add(optional("header", ParamType.BOOL, false, "skip a first line of column names"));
        params.add(optional("delimiter", ParamType.STRING, ",", "field separator, one character"));
      }
      if (fn.isRead()) {
        l.add(
            op(
                wireName(fn),
                "io",
                "Reads " + fmt + "; its dtype and shape are checked against the parameters.",
                List.of(),
                params,
                new OpKind.Io(fn),
                c -> Rules.one(new TensorType(c.getDType("dtype"), c.getShape("shape")))));
      } else {
        l.add(
            new OpSpec(
                wireName(fn),
                "io",
                "Writes x to " + fmt + " (atomically: a temporary file, then a rename).",
                List.of(X),
                List.of(),
                params,
                new OpKind.Io(fn),
                c -> {
                  if (fn == IoFn.WRITE_CSV && c.in("x").shape().rank() > 2) {
                    throw new OpTypeException(
                        "x", "expected rank at most 2 for CSV, got " + c.in("x"));
                  }
                  return List.of();
                }));
      }
    }
  }

  // ---------------------------------------------------------------- control

  private static void control(List<OpSpec> l) {
    TypeRule byBody =
        c -> {
          throw new IllegalStateException("control ops are typed from their body");
        };
    l.add(
        new OpSpec(
            "composite",
            "control",
            "A sub-graph used as one node; its ports are the body's inputs and outputs.",
            List.of(),
            List.of(),
            List.of(optional("label", ParamType.STRING, "", "a name shown on the node")),
            new OpKind.Control(OpKind.ControlFn.COMPOSITE),
            byBody));
    l.add(
        new OpSpec(
            "loop",
            "control",
            "Runs its body repeatedly: body inputs with a same-named output are carried,"
                + " others are fixed; stops after count, or when the until output is true.",
            List.of(),
            List.of(),
            List.of(
                absentable("count", ParamType.INT, "a fixed number of iterations")
                    .withRange(0, 1e12),
                absentable(
                    "until", ParamType.STRING, "a bool scalar body output that stops the loop"),
                optional("max_iterations", ParamType.INT, 1000L, "the bound for an until loop")
                    .withRange(1, 1e12)),
            new OpKind.Control(OpKind.ControlFn.LOOP),
            byBody));
  }
}
