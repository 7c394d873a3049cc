package org.jetlag.graph.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.jetlag.graph.TestGraphs.edge;
import static org.jetlag.graph.TestGraphs.graph;
import static org.jetlag.graph.TestGraphs.input;
import static org.jetlag.graph.TestGraphs.node;
import static org.jetlag.graph.TestGraphs.output;
import static org.jetlag.graph.TestGraphs.withBody;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jetlag.graph.DType;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Graph;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.Validation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Type inference for every op of the catalogue: at least one valid case with its output type and
 * one invalid case with the port and message fragment it must report.
 */
class OpsInferenceTest {
  /** Where a refused case reports: a port or parameter name, or this for coercion failures. */
  private static final String PARAMS = "<params>";

  private interface Case {
    boolean valid();

    void run();
  }

  private final Map<String, List<Case>> table = new LinkedHashMap<>();

  // ------------------------------------------------------------------ helpers

  /** Parses {@code float64[?,3]}. */
  static TensorType t(String s) {
    int b = s.indexOf('[');
    DType d = DType.fromWireName(s.substring(0, b)).orElseThrow();
    String inner = s.substring(b + 1, s.length() - 1);
    if (inner.isEmpty()) {
      return new TensorType(d, Shape.SCALAR);
    }
    String[] parts = inner.split(",");
    long[] dims = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      dims[i] = parts[i].equals("?") ? Shape.UNKNOWN : Long.parseLong(parts[i]);
    }
    return new TensorType(d, Shape.of(dims));
  }

  /** Input types from alternating port names and type strings. */
  static Map<String, TensorType> in(String... kv) {
    Map<String, TensorType> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], t(kv[i + 1]));
    }
    return m;
  }

  static Map<String, Object> p(Object... kv) {
    return org.jetlag.graph.TestGraphs.params(kv);
  }

  static List<TensorType> infer(
      String op, Map<String, Object> params, Map<String, TensorType> ins) {
    OpSpec s = Ops.get(op);
    return s.infer(s.canonicalParams(params), ins);
  }

  private void add(String op, Case c) {
    table.computeIfAbsent(op, k -> new ArrayList<>()).add(c);
  }

  /** A valid case; {@code expected} is the output type, or "" for ops without outputs. */
  private void ok(String op, Map<String, TensorType> ins, Map<String, Object> params, String want) {
    add(
        op,
        new Case() {
          @Override
          public boolean valid() {
            return true;
          }

          @Override
          public void run() {
            List<TensorType> got = infer(op, params, ins);
            String s = got.stream().map(TensorType::toString).collect(Collectors.joining(","));
            assertThat(s).as("%s %s %s", op, ins, params).isEqualTo(want);
          }
        });
  }

  /** An invalid case reported on {@code port} (or {@link #PARAMS}) with a message fragment. */
  private void bad(
      String op, Map<String, TensorType> ins, Map<String, Object> params, String port, String msg) {
    add(
        op,
        new Case() {
          @Override
          public boolean valid() {
            return false;
          }

          @Override
          public void run() {
            Throwable e = catchThrowable(() -> infer(op, params, ins));
            assertThat(e).as("%s %s %s", op, ins, params).isNotNull();
            if (port.equals(PARAMS)) {
              assertThat(e)
                  .isInstanceOf(IllegalArgumentException.class)
                  .isNotInstanceOf(OpTypeException.class);
            } else {
              assertThat(e).isInstanceOf(OpTypeException.class);
              assertThat(((OpTypeException) e).port()).as("port of %s", e).contains(port);
            }
            assertThat(e.getMessage()).contains(msg);
          }
        });
  }

  /** A case checked through validation of a whole graph (ops typed from their body). */
  private void graphCase(String op, boolean valid, Runnable check) {
    add(
        op,
        new Case() {
          @Override
          public boolean valid() {
            return valid;
          }

          @Override
          public void run() {
            check.run();
          }
        });
  }

  // ------------------------------------------------------------------ the table

  private static final List<String> ARITHMETIC =
      List.of("add", "sub", "mul", "pow", "mod", "maximum", "minimum");
  private static final List<String> COMPARISON =
      List.of(
          "equal",
          "not_equal",
          "less",
          "less_equal",
          "greater",
          "greater_equal",
          "logical_and",
          "logical_or");
  private static final List<String> NUMERIC_UNARY =
      List.of("neg", "abs", "sign", "square", "relu", "round");
  private static final List<String> FLOAT_UNARY =
      List.of("sqrt", "exp", "log", "log1p", "sin", "cos", "tan", "tanh", "sigmoid", "erf");

  /** NumPy 2 keeps integer dtypes for floor and ceil; floats and bool behave like FLOAT_UNARY. */
  private static final List<String> ROUNDING_UNARY = List.of("floor", "ceil");

  private static final List<String> BOOL_UNARY = List.of("logical_not", "isnan", "isfinite");

  OpsInferenceTest() {
    graphBoundary();
    elementwise();
    creation();
    shapes();
    reductions();
    linalg();
    sortingAndIo();
    control();
  }

  private void graphBoundary() {
    ok("input", in(), p("name", "x", "dtype", "int32", "shape", list(null, 3L)), "int32[?,3]");
    ok("input", in(), p("name", "x", "shape", list()), "float64[]");
    bad(
        "input",
        in(),
        p("name", "x", "shape", list(3L, null)),
        "shape",
        "only the leading dimension may be unknown, got [3,?]");
    bad("input", in(), p("shape", list(3L)), PARAMS, "parameter 'name': required, not set");
    ok("output", in("x", "float64[2]"), p("name", "y"), "");
    // a missing edge into an output is reported by validation (missing-input), not by the rule
    bad("output", in("x", "float64[2]"), p(), PARAMS, "parameter 'name': required, not set");
  }

  private void elementwise() {
    for (String op : ARITHMETIC) {
      ok(op, in("a", "int32[3,1]", "b", "float32[4]"), p(), "float64[3,4]");
      ok(op, in("a", "int32[?,2]", "b", "int64[2]"), p(), "int64[?,2]");
      bad(
          op,
          in("a", "float64[3]", "b", "float64[4]"),
          p(),
          "b",
          "expected a shape that broadcasts with [3] (port 'a'), got float64[4]");
    }
    ok("add", in("a", "bool[2]", "b", "bool[2]"), p(), "bool[2]");
    for (String op : List.of("sub", "pow", "mod")) {
      bad(
          op,
          in("a", "bool[2]", "b", "bool[2]"),
          p(),
          "a",
          "expected a numeric dtype for " + op + ", got bool and bool");
    }
    // true division of integers gives float64, as NumPy
    ok("div", in("a", "int32[2]", "b", "int32[2]"), p(), "float64[2]");
    ok("div", in("a", "float32[2]", "b", "float32[]"), p(), "float32[2]");
    ok("div", in("a", "int64[2,1]", "b", "float32[3]"), p(), "float64[2,3]");
    bad("div", in("a", "float64[2]"), p(), "b", "expected an input, got none");
    for (String op : COMPARISON) {
      ok(op, in("a", "int32[2,3]", "b", "float64[3]"), p(), "bool[2,3]");
      bad(
          op,
          in("a", "int32[2,3]", "b", "float64[2]"),
          p(),
          "b",
          "expected a shape that broadcasts with [2,3] (port 'a'), got float64[2]");
    }
    for (String op : NUMERIC_UNARY) {
      ok(op, in("x", "int32[2,3]"), p(), "int32[2,3]");
      ok(op, in("x", "float32[?]"), p(), "float32[?]");
      bad(op, in("x", "bool[2]"), p(), "x", "expected a numeric dtype, got bool[2]");
    }
    for (String op : FLOAT_UNARY) {
      ok(op, in("x", "int32[2,3]"), p(), "float64[2,3]");
      ok(op, in("x", "float32[4]"), p(), "float32[4]");
      bad(op, in(), p(), "x", "expected an input, got none");
    }
    for (String op : ROUNDING_UNARY) {
      ok(op, in("x", "int32[2,3]"), p(), "int32[2,3]");
      ok(op, in("x", "int64[2]"), p(), "int64[2]");
      ok(op, in("x", "bool[2]"), p(), "float64[2]");
      ok(op, in("x", "float32[4]"), p(), "float32[4]");
      bad(op, in(), p(), "x", "expected an input, got none");
    }
    for (String op : BOOL_UNARY) {
      ok(op, in("x", "float64[2,?]"), p(), "bool[2,?]");
      bad(op, in(), p(), "x", "expected an input, got none");
    }
    ok("where", in("cond", "bool[3,1]", "a", "int32[4]", "b", "float32[1]"), p(), "float64[3,4]");
    bad(
        "where",
        in("cond", "bool[2]", "a", "float64[3]", "b", "float64[1]"),
        p(),
        "a",
        "expected a shape that broadcasts with [2] (port 'cond'), got float64[3]");
    ok("clip", in("x", "int32[2]"), p("min", 0L), "int32[2]");
    ok("clip", in("x", "float64[2]"), p("min", 0.5, "max", 2L), "float64[2]");
    bad("clip", in("x", "bool[2]"), p(), "x", "expected a numeric dtype, got bool[2]");
    bad("clip", in("x", "float64[2]"), p("min", "a"), PARAMS, "parameter 'min': expected a number");
    ok("astype", in("x", "float64[2,2]"), p("dtype", "int32"), "int32[2,2]");
    bad(
        "astype",
        in("x", "float64[2]"),
        p("dtype", "float16"),
        PARAMS,
        "parameter 'dtype': expected a dtype (float64, float32, int64, int32, bool), got"
            + " \"float16\"");
  }

  private void creation() {
    ok(
        "constant",
        in(),
        p("value", list(list(1L, 2L, 3L), list(4L, 5L, 6L)), "dtype", "int32"),
        "int32[2,3]");
    ok("constant", in(), p("value", 2.5), "float64[]");
    ok("constant", in(), p("value", list("NaN", "inf", "-inf", true)), "float64[4]");
    bad(
        "constant",
        in(),
        p("value", list(list(1L, 2L), list(3L))),
        PARAMS,
        "expected a rectangular nested list");
    bad("constant", in(), p("value", "x"), PARAMS, "expected a number in a tensor literal");
    ok("zeros", in(), p("shape", list(2L, 3L)), "float64[2,3]");
    bad("zeros", in(), p("shape", list(null, 3L)), "shape", "expected known dimensions, got [?,3]");
    ok("ones", in(), p("shape", list(4L), "dtype", "bool"), "bool[4]");
    bad(
        "ones",
        in(),
        p("shape", list(1L, 1L, 1L, 1L, 1L)),
        PARAMS,
        "rank 5 exceeds the maximum rank 4");
    ok("full", in(), p("shape", list(2L), "fill_value", 7L), "float64[2]");
    bad("full", in(), p("shape", list(2L)), PARAMS, "parameter 'fill_value': required, not set");
    ok("arange", in(), p("stop", 5L), "int64[5]");
    ok("arange", in(), p("start", 0L, "stop", 1L, "step", 0.25), "float64[4]");
    ok("arange", in(), p("start", 10L, "stop", 0L, "step", -3L), "int64[4]");
    ok("arange", in(), p("stop", 0L), "int64[0]");
    ok("arange", in(), p("start", 5L, "stop", 0L), "int64[0]");
    ok("arange", in(), p("stop", 3L, "dtype", "float32"), "float32[3]");
    bad("arange", in(), p("stop", 5L, "step", 0L), "step", "expected a finite non-zero step");
    bad("arange", in(), p("stop", 1e16), "stop", "expected at most 1e15 values");
    ok("linspace", in(), p("start", 0L, "stop", 1L, "num", 5L), "float64[5]");
    ok("linspace", in(), p("start", 0L, "stop", 1L), "float64[50]");
    bad(
        "linspace",
        in(),
        p("start", 0L, "stop", 1L, "num", -1L),
        PARAMS,
        "parameter 'num': expected a value in [0, ");
    ok("eye", in(), p("n", 3L), "float64[3,3]");
    ok("eye", in(), p("n", 2L, "m", 4L, "k", 1L, "dtype", "int32"), "int32[2,4]");
    bad("eye", in(), p("n", 2L, "m", -1L), "m", "expected a non-negative column count, got -1");
    bad("eye", in(), p("n", -1L), PARAMS, "parameter 'n': expected a value in [0, 1000000000]");
    ok("random_uniform", in(), p("shape", list(2L, 2L), "seed", 1L), "float64[2,2]");
    bad(
        "random_uniform",
        in(),
        p("shape", list(2L), "dtype", "int32"),
        "dtype",
        "expected float64 or float32, got int32");
    ok("random_normal", in(), p("shape", list(3L), "dtype", "float32"), "float32[3]");
    bad("random_normal", in(), p("shape", list(3L), "std", -1L), PARAMS, "parameter 'std'");
  }

  private void shapes() {
    ok("reshape", in("x", "float64[2,6]"), p("shape", list(3L, -1L)), "float64[3,4]");
    ok("reshape", in("x", "int32[2,6]"), p("shape", list(12L)), "int32[12]");
    ok("reshape", in("x", "float64[?,6]"), p("shape", list(-1L, 3L)), "float64[?,3]");
    ok("reshape", in("x", "float64[1]"), p("shape", list()), "float64[]");
    bad(
        "reshape",
        in("x", "float64[2,6]"),
        p("shape", list(5L, -1L)),
        "shape",
        "cannot reshape float64[2,6] (12 elements) into [5, -1]");
    bad(
        "reshape",
        in("x", "float64[2,6]"),
        p("shape", list(5L, 5L)),
        "shape",
        "cannot reshape float64[2,6] (12 elements) into [5, 5] (25 elements)");
    bad(
        "reshape",
        in("x", "float64[12]"),
        p("shape", list(-1L, -1L)),
        "shape",
        "expected at most one -1");
    bad(
        "reshape",
        in("x", "float64[?,6]"),
        p("shape", list(-1L, 4L)),
        "shape",
        "use -1 for the unknown part");
    ok("transpose", in("x", "float64[2,3,4]"), p(), "float64[4,3,2]");
    ok("transpose", in("x", "float64[2,3,4]"), p("axes", list(0L, 2L, 1L)), "float64[2,4,3]");
    ok("transpose", in("x", "float64[2,3,4]"), p("axes", list(-1L, 0L, 1L)), "float64[4,2,3]");
    ok("transpose", in("x", "int64[?,3]"), p(), "int64[3,?]");
    bad(
        "transpose",
        in("x", "float64[2,3,4]"),
        p("axes", list(0L, 0L, 1L)),
        "axes",
        "expected a permutation of the 3 axes of float64[2,3,4], got [0, 0, 1]");
    bad(
        "transpose",
        in("x", "float64[2,3]"),
        p("axes", list(0L)),
        "axes",
        "expected a permutation of the 2 axes");
    bad(
        "transpose",
        in("x", "float64[]"),
        p("axes", list(0L)),
        "axes",
        "expected a permutation of the 0 axes");
    ok("slice", in("x", "int32[10]"), p("start", list(-3L)), "int32[3]");
    ok("slice", in("x", "int32[10]"), p("step", list(-1L)), "int32[10]");
    ok(
        "slice",
        in("x", "int32[10]"),
        p("start", list(-1L), "stop", list(-4L), "step", list(-1L)),
        "int32[3]");
    ok(
        "slice",
        in("x", "int32[10]"),
        p("start", list(1L), "stop", list(8L), "step", list(3L)),
        "int32[3]");
    ok("slice", in("x", "int32[10]"), p("start", list(20L)), "int32[0]");
    ok("slice", in("x", "int32[10]"), p("start", list(-100L), "stop", list(2L)), "int32[2]");
    ok("slice", in("x", "float64[?,5]"), p("start", list(0L, 1L)), "float64[?,4]");
    ok("slice", in("x", "int32[10]"), p("step", list(Long.MAX_VALUE)), "int32[1]");
    ok("slice", in("x", "int32[10]"), p("step", list(Long.MIN_VALUE)), "int32[1]");
    bad(
        "slice",
        in("x", "int32[10]"),
        p("step", list(0L)),
        "step",
        "expected a non-zero step on axis 0, got 0");
    bad(
        "slice",
        in("x", "int32[10]"),
        p("start", list(1L, 2L)),
        "start",
        "expected at most 1 entries (one per axis of [10]), got 2");
    ok("concat", in("arrays.0", "float32[2,3]", "arrays.1", "int32[4,3]"), p(), "float64[6,3]");
    ok(
        "concat",
        in("arrays.0", "float64[2,3]", "arrays.1", "float64[2,5]"),
        p("axis", -1L),
        "float64[2,8]");
    ok("concat", in("arrays.0", "float64[?,3]", "arrays.1", "float64[2,3]"), p(), "float64[?,3]");
    bad(
        "concat",
        in("arrays.0", "float32[2,3]", "arrays.1", "int32[4,4]"),
        p(),
        "arrays.1",
        "expected the shape of arrays.0 float32[2,3] except on axis 0, got int32[4,4]");
    bad("concat", in(), p(), "arrays", "expected at least one array, got none");
    bad("concat", in("arrays.0", "float64[]"), p(), "arrays.0", "expected arrays of rank 1");
    ok("stack", in("arrays.0", "float64[2,3]", "arrays.1", "float64[2,3]"), p(), "float64[2,2,3]");
    ok(
        "stack",
        in("arrays.0", "float64[2,3]", "arrays.1", "float64[2,3]"),
        p("axis", -1L),
        "float64[2,3,2]");
    ok(
        "stack",
        in("arrays.0", "int32[]", "arrays.1", "int32[]", "arrays.2", "int32[]"),
        p(),
        "int32[3]");
    bad(
        "stack",
        in("arrays.0", "float64[2,3]", "arrays.1", "float64[3,2]"),
        p(),
        "arrays.1",
        "expected the shape of arrays.0 float64[2,3], got float64[3,2]");
    bad(
        "stack",
        in("arrays.0", "float64[1,1,1,1]"),
        p(),
        "arrays",
        "expected rank below 4, got float64[1,1,1,1]");
    bad(
        "stack",
        in("arrays.0", "float64[2]"),
        p("axis", 2L),
        "axis",
        "expected an axis in [-2, 2)");
    ok("squeeze", in("x", "float64[1,3,1]"), p(), "float64[3]");
    ok("squeeze", in("x", "float64[1,3,1]"), p("axis", 0L), "float64[3,1]");
    bad(
        "squeeze",
        in("x", "float64[1,3,1]"),
        p("axis", list(1L)),
        "axis",
        "expected axis 1 of length 1, got float64[1,3,1]");
    ok("expand_dims", in("x", "float64[3]"), p("axis", 0L), "float64[1,3]");
    ok("expand_dims", in("x", "float64[3]"), p("axis", -1L), "float64[3,1]");
    bad(
        "expand_dims",
        in("x", "float64[3]"),
        p("axis", 2L),
        "axis",
        "expected an axis in [-2, 2), got 2");
    bad(
        "expand_dims",
        in("x", "float64[1,2,3,4]"),
        p("axis", 0L),
        "x",
        "expected rank below 4, got float64[1,2,3,4]");
  }

  private void reductions() {
    // sum and prod of int32 and bool give int64, as NumPy on 64-bit platforms
    ok("sum", in("x", "int32[2,3]"), p(), "int64[]");
    ok("sum", in("x", "int32[2,3]"), p("axis", list(1L), "keepdims", true), "int64[2,1]");
    ok("sum", in("x", "bool[4]"), p(), "int64[]");
    ok("sum", in("x", "float32[2,3]"), p("axis", -1L), "float32[2]");
    ok("sum", in("x", "float64[?,3]"), p("axis", 1L), "float64[?]");
    bad(
        "sum",
        in("x", "float64[2,3]"),
        p("axis", list(2L)),
        "axis",
        "expected an axis in [-2, 2), got 2");
    bad("sum", in("x", "float64[2,3]"), p("axis", list(0L, -2L)), "axis", "is listed twice");
    bad(
        "sum",
        in("x", "float64[2,3]"),
        p("keepdims", "yes"),
        PARAMS,
        "parameter 'keepdims': expected true or false, got \"yes\"");
    ok("prod", in("x", "int32[2,3]"), p("axis", list(0L)), "int64[3]");
    ok("prod", in("x", "float32[2,3]"), p("axis", list(0L, 1L), "keepdims", true), "float32[1,1]");
    bad("prod", in("x", "int32[2,3]"), p("axis", list(1L, 1L)), "axis", "axis 1 is listed twice");
    ok("mean", in("x", "int32[4]"), p(), "float64[]");
    ok("mean", in("x", "float32[4,2]"), p("axis", list(0L)), "float32[2]");
    bad("mean", in("x", "int32[4]"), p("axis", list(-2L)), "axis", "expected an axis in [-1, 1)");
    for (String op : List.of("var", "std")) {
      ok(op, in("x", "float32[2,3]"), p("axis", list(0L), "ddof", 1L), "float32[3]");
      ok(op, in("x", "int64[2,3]"), p(), "float64[]");
      bad(
          op,
          in("x", "float64[2,3]"),
          p("ddof", -1L),
          PARAMS,
          "parameter 'ddof': expected a value in [0, ");
    }
    for (String op : List.of("min", "max")) {
      ok(op, in("x", "bool[3]"), p(), "bool[]");
      ok(op, in("x", "int32[2,3]"), p("axis", list(0L), "keepdims", true), "int32[1,3]");
      bad(op, in("x", "int32[2,3]"), p("axis", list(3L)), "axis", "expected an axis in [-2, 2)");
    }
    for (String op : List.of("argmin", "argmax")) {
      ok(op, in("x", "float64[2,3]"), p("axis", 1L), "int64[2]");
      ok(op, in("x", "float64[2,3]"), p(), "int64[]");
      ok(op, in("x", "float64[2,3]"), p("axis", 0L, "keepdims", true), "int64[1,3]");
      bad(
          op,
          in("x", "float64[2,3]"),
          p("axis", list(0L, 1L)),
          PARAMS,
          "parameter 'axis': expected an int, got [0,1]");
      bad(op, in("x", "float64[2,3]"), p("axis", 5L), "axis", "expected an axis in [-2, 2), got 5");
    }
    for (String op : List.of("all", "any")) {
      ok(op, in("x", "float64[2,3]"), p("axis", list(0L)), "bool[3]");
      bad(op, in("x", "float64[2,3]"), p("axis", list(9L)), "axis", "expected an axis");
    }
    ok("logsumexp", in("x", "int32[3]"), p(), "float64[]");
    ok("logsumexp", in("x", "float32[3,2]"), p("axis", list(1L)), "float32[3]");
    bad("logsumexp", in("x", "float32[3]"), p("axis", list(1L)), "axis", "expected an axis");
  }

  private void linalg() {
    ok("matmul", in("a", "float64[2,3]", "b", "float64[3,4]"), p(), "float64[2,4]");
    ok("matmul", in("a", "float64[3]", "b", "float64[3]"), p(), "float64[]");
    ok("matmul", in("a", "float64[3]", "b", "float64[3,4]"), p(), "float64[4]");
    ok("matmul", in("a", "float64[2,3]", "b", "float64[3]"), p(), "float64[2]");
    ok("matmul", in("a", "float64[5,2,3]", "b", "float64[3,4]"), p(), "float64[5,2,4]");
    ok("matmul", in("a", "float64[?,3]", "b", "float64[3,1]"), p(), "float64[?,1]");
    ok("matmul", in("a", "int32[2,3]", "b", "float32[3,2]"), p(), "float64[2,2]");
    bad(
        "matmul",
        in("a", "float64[2,3]", "b", "float64[4,5]"),
        p(),
        "b",
        "expected rows 3 to match the columns of 'a' float64[2,3], got float64[4,5]");
    bad(
        "matmul",
        in("a", "float64[2,3]", "b", "float64[4]"),
        p(),
        "b",
        "expected length 3 to match the columns of 'a' float64[2,3], got float64[4]");
    bad(
        "matmul",
        in("a", "bool[2,2]", "b", "float64[2,2]"),
        p(),
        "a",
        "expected a numeric dtype, got bool");
    bad(
        "matmul",
        in("a", "float64[]", "b", "float64[2]"),
        p(),
        "a",
        "expected an array of rank 1 or more, got a scalar");
    bad(
        "matmul",
        in("a", "float64[2,2,3]", "b", "float64[3,3,4]"),
        p(),
        "b",
        "expected batch dimensions that broadcast with float64[2,2,3], got float64[3,3,4]");
    ok("dot", in("a", "float64[2,3]", "b", "float64[3]"), p(), "float64[2]");
    bad(
        "dot",
        in("a", "float64[2,2,3]", "b", "float64[3]"),
        p(),
        "a",
        "expected rank at most 2, got float64[2,2,3]");
    ok("outer", in("a", "float64[3]", "b", "int32[2,2]"), p(), "float64[3,4]");
    ok("outer", in("a", "float64[?]", "b", "float64[2]"), p(), "float64[?,2]");
    bad("outer", in("a", "bool[3]", "b", "float64[2]"), p(), "a", "expected a numeric dtype");
    ok("solve", in("a", "float64[3,3]", "b", "int32[3]"), p(), "float64[3]");
    ok("solve", in("a", "float32[3,3]", "b", "float32[3,2]"), p(), "float32[3,2]");
    bad(
        "solve",
        in("a", "float64[2,3]", "b", "float64[2]"),
        p(),
        "a",
        "expected a square matrix [n,n], got float64[2,3]");
    bad(
        "solve",
        in("a", "float64[3,3]", "b", "float64[4]"),
        p(),
        "b",
        "expected [3] or [3,k], got float64[4]");
    ok("inverse", in("x", "int32[3,3]"), p(), "float64[3,3]");
    bad("inverse", in("x", "float64[3]"), p(), "x", "expected a square matrix [n,n]");
    ok("det", in("x", "float32[2,2]"), p(), "float32[]");
    bad("det", in("x", "float64[2,3]"), p(), "x", "expected a square matrix [n,n]");
    ok("norm", in("x", "int32[2,3]"), p(), "float64[]");
    ok("norm", in("x", "float64[2,3]"), p("axis", list(1L), "keepdims", true), "float64[2,1]");
    ok("norm", in("x", "float32[2,3]"), p("ord", "inf"), "float32[]");
    bad(
        "norm",
        in("x", "float64[2,3]"),
        p("ord", "fro"),
        PARAMS,
        "parameter 'ord': expected one of [2, 1, inf], got \"fro\"");
  }

  private void sortingAndIo() {
    ok("sort", in("x", "float64[3,4]"), p(), "float64[3,4]");
    ok("sort", in("x", "int32[3,4]"), p("axis", 0L), "int32[3,4]");
    bad("sort", in("x", "float64[]"), p(), "x", "expected an array of rank 1 or more");
    bad("sort", in("x", "float64[3]"), p("axis", 1L), "axis", "expected an axis in [-1, 1)");
    ok("argsort", in("x", "float32[3,4]"), p(), "int64[3,4]");
    bad("argsort", in("x", "float32[3,4]"), p("axis", -3L), "axis", "expected an axis");
    for (String op : List.of("read_arrow", "read_npy", "read_csv")) {
      ok(op, in(), p("path", "a.bin", "shape", list(null, 3L)), "float64[?,3]");
      ok(op, in(), p("path", "a.bin", "dtype", "int32", "shape", list(2L)), "int32[2]");
      bad(op, in(), p("shape", list(2L)), PARAMS, "parameter 'path': required, not set");
    }
    ok(
        "read_csv",
        in(),
        p("path", "a.csv", "shape", list(2L, 2L), "header", true, "delimiter", ";"),
        "float64[2,2]");
    for (String op : List.of("write_arrow", "write_npy", "write_csv")) {
      ok(op, in("x", "float64[2,2]"), p("path", "o"), "");
      bad(op, in("x", "float64[2,2]"), p(), PARAMS, "parameter 'path': required, not set");
    }
    bad(
        "write_csv",
        in("x", "float64[2,2,2]"),
        p("path", "o.csv"),
        "x",
        "expected rank at most 2 for CSV, got float64[2,2,2]");
  }

  private static Graph addOneBody(String dtype) {
    return graph(
        input("v", dtype, 3L),
        node("one", "constant", "value", 1L, "dtype", dtype),
        node("add", "add"),
        output("v"),
        edge("v:out", "add:a"),
        edge("one:out", "add:b"),
        edge("add:out", "out_v:x"));
  }

  private void control() {
    graphCase(
        "composite",
        true,
        () -> {
          Graph g =
              graph(
                  input("x", "float32", 3L),
                  withBody("c", "composite", addOneBody("float32"), "label", "plus one"),
                  output("y"),
                  edge("x:out", "c:v"),
                  edge("c:v", "out_y:x"));
          var r = Validation.validate(g);
          assertThat(r.errors()).isEmpty();
          assertThat(r.typed().orElseThrow().type(new PortRef("c", "v"))).hasToString("float32[3]");
        });
    graphCase(
        "composite",
        false,
        () -> {
          Graph g =
              graph(
                  input("x", "int32", 3L),
                  withBody("c", "composite", addOneBody("float32")),
                  output("y"),
                  edge("x:out", "c:v"),
                  edge("c:v", "out_y:x"));
          assertThat(Validation.validate(g).errors())
              .extracting(Diagnostic::toString)
              .containsExactly("node 'c' (composite) port 'v': expected float32[3], got int32[3]");
        });
    graphCase(
        "loop",
        true,
        () -> {
          Graph g =
              graph(
                  input("x", "float64", 3L),
                  withBody("l", "loop", addOneBody("float64"), "count", 10L),
                  output("y"),
                  edge("x:out", "l:v"),
                  edge("l:v", "out_y:x"));
          var t = Validation.check(g);
          assertThat(t.type(new PortRef("l", "v"))).hasToString("float64[3]");
          assertThat(t.carried("l")).containsExactly("v");
        });
    graphCase(
        "loop",
        false,
        () -> {
          Graph g =
              graph(
                  input("x", "float64", 3L),
                  withBody("l", "loop", addOneBody("float64")),
                  edge("x:out", "l:v"));
          assertThat(Validation.validate(g).errors())
              .extracting(Diagnostic::code, Diagnostic::message)
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple(
                      "loop-bound", "expected parameter 'count' or 'until', got neither"));
        });
  }

  static List<Object> list(Object... xs) {
    return java.util.Arrays.asList(xs);
  }

  // ------------------------------------------------------------------ the tests

  @Test
  void everyOpInTheCatalogueHasValidAndInvalidCases() {
    List<String> missing = new ArrayList<>();
    for (OpSpec s : Ops.all()) {
      List<Case> cs = table.getOrDefault(s.name(), List.of());
      if (cs.stream().noneMatch(Case::valid) || cs.stream().allMatch(Case::valid)) {
        missing.add(s.name());
      }
    }
    assertThat(missing).as("ops without both a valid and an invalid case").isEmpty();
    assertThat(table.keySet())
        .as("table entries for ops not in the catalogue")
        .allSatisfy(op -> assertThat(Ops.byName(op)).isPresent());
  }

  @TestFactory
  List<DynamicTest> inference() {
    List<DynamicTest> tests = new ArrayList<>();
    table.forEach(
        (op, cases) -> {
          for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            tests.add(
                DynamicTest.dynamicTest(
                    op + " #" + i + (c.valid() ? " valid" : " invalid"), c::run));
          }
        });
    return tests;
  }
}
