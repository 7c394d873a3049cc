package org.jetlag.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.Literal;
import org.jetlag.graph.ops.OpKind.CreateFn;
import org.jetlag.graph.ops.OpKind.SortFn;
import org.jetlag.graph.ops.SliceMath;
import org.junit.jupiter.api.Test;

class ShapeSortCreationGoldenTest {

  @Test
  void shapeKernelsMatchNumpy() {
    List<String> failures = new ArrayList<>();
    for (JsonNode c : Goldens.cases("shape.json")) {
      String op = c.get("op").asText();
      Block out =
          switch (op) {
            case "transpose" -> {
              List<Long> p = Goldens.longs(c.get("perm"));
              int[] perm = p.stream().mapToInt(Long::intValue).toArray();
              yield ShapeKernels.transpose(
                  Goldens.block(c.get("x")), Goldens.shape(c.get("x")), perm);
            }
            case "slice" -> {
              Shape s = Goldens.shape(c.get("x"));
              long[][] r =
                  SliceMath.resolve(
                      s,
                      Goldens.longs(c.get("start")),
                      Goldens.longs(c.get("stop")),
                      Goldens.longs(c.get("step")));
              yield ShapeKernels.slice(Goldens.block(c.get("x")), s, r);
            }
            case "concat", "stack" -> {
              List<Block> xs = new ArrayList<>();
              List<Shape> ss = new ArrayList<>();
              c.get("xs").forEach(x -> xs.add(Goldens.block(x)));
              c.get("xs").forEach(x -> ss.add(Goldens.shape(x)));
              yield op.equals("concat")
                  ? ShapeKernels.concat(xs, ss, c.get("axis").asInt())
                  : ShapeKernels.stack(xs, ss, c.get("axis").asInt());
            }
            case "broadcast" ->
                ShapeKernels.broadcastTo(
                    Goldens.block(c.get("x")),
                    Goldens.shape(c.get("x")),
                    Shape.of(Goldens.longs(c.get("to"))));
            default -> throw new IllegalStateException(op);
          };
      String m = Goldens.mismatch(out, c.get("out"), c.get("tol"));
      if (m != null) {
        failures.add(op + " " + c.get("x") + ": " + m);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void sortingMatchesNumpyStable() {
    List<String> failures = new ArrayList<>();
    Set<SortFn> seen = EnumSet.noneOf(SortFn.class);
    for (JsonNode c : Goldens.cases("sorting.json")) {
      SortFn fn = SortFn.valueOf(c.get("op").asText().toUpperCase(Locale.ROOT));
      seen.add(fn);
      Block out =
          Sorting.apply(
              fn, Goldens.block(c.get("x")), Goldens.shape(c.get("x")), c.get("axis").asInt());
      String m = Goldens.mismatch(out, c.get("out"), c.get("tol"));
      if (m != null) {
        failures.add(fn + " " + c.get("x").get("dtype") + " axis " + c.get("axis") + ": " + m);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(seen).containsExactlyInAnyOrder(SortFn.values());
  }

  @Test
  void creationMatchesNumpyForEveryChunking() {
    List<String> failures = new ArrayList<>();
    Set<CreateFn> seen = EnumSet.noneOf(CreateFn.class);
    for (JsonNode c : Goldens.cases("creation.json")) {
      CreateFn fn = CreateFn.valueOf(c.get("op").asText().toUpperCase(Locale.ROOT));
      seen.add(fn);
      JsonNode exp = c.get("out");
      DType dt = Goldens.dtype(exp);
      TensorType type = new TensorType(dt, Goldens.shape(exp));
      Map<String, Object> params = params(c.get("params"), type);
      int n = exp.get("values").size();
      for (int chunk : new int[] {Math.max(n, 1), 1, 4}) {
        Block out = Block.allocate(dt, n);
        for (int from = 0; from < n; from += chunk) {
          int len = Math.min(chunk, n - from);
          Block part = Block.allocate(dt, len);
          Creation.fill(fn, params, type, from, part, len);
          for (int i = 0; i < len; i++) {
            if (dt.isFloating()) {
              out.doubles()[from + i] = part.doubles()[i];
            } else {
              out.longs()[from + i] = part.longs()[i];
            }
          }
        }
        String m = Goldens.mismatch(out, exp, c.get("tol"));
        if (m != null) {
          failures.add(fn + " " + c.get("params") + " " + dt + " chunk " + chunk + ": " + m);
        }
      }
    }
    seen.add(CreateFn.RANDOM_UNIFORM); // checked by moments below
    seen.add(CreateFn.RANDOM_NORMAL);
    assertThat(failures).isEmpty();
    assertThat(seen).containsExactlyInAnyOrder(CreateFn.values());
  }

  private static Map<String, Object> params(JsonNode p, TensorType type) {
    Map<String, Object> m = new LinkedHashMap<>();
    p.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (e.getKey().equals("value")) {
                List<Double> vals = new ArrayList<>();
                v.forEach(row -> row.forEach(x -> vals.add(x.asDouble())));
                m.put("value", new Literal(type.shape(), vals));
              } else if (v.isBoolean()) {
                m.put(e.getKey(), v.asBoolean());
              } else if (v.isIntegralNumber()) {
                m.put(e.getKey(), v.asLong());
              } else if (!v.isNull()) {
                m.put(e.getKey(), v.asDouble());
              }
            });
    m.putIfAbsent("start", 0L);
    m.putIfAbsent("step", 1L);
    return m;
  }

  @Test
  void randomOpsAreChunkIndependentWithRightMoments() {
    int n = 200_000;
    for (CreateFn fn : new CreateFn[] {CreateFn.RANDOM_UNIFORM, CreateFn.RANDOM_NORMAL}) {
      for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seed", 42L);
        if (fn == CreateFn.RANDOM_UNIFORM) {
          p.put("low", -2.0);
          p.put("high", 3.0);
        } else {
          p.put("mean", 1.5);
          p.put("std", 2.0);
        }
        TensorType t = TensorType.of(dt, n);
        Block whole = Block.allocate(dt, n);
        Creation.fill(fn, p, t, 0, whole, n);
        Block pieces = Block.allocate(dt, n);
        int from = 0;
        for (int len : new int[] {1, 999, 77_000, n - 78_000}) {
          Block part = Block.allocate(dt, len);
          Creation.fill(fn, p, t, from, part, len);
          System.arraycopy(part.doubles(), 0, pieces.doubles(), from, len);
          from += len;
        }
        assertThat(pieces.doubles()).isEqualTo(whole.doubles());
        double mean =
            Reductions.reduce(
                    org.jetlag.graph.ops.OpKind.ReduceFn.MEAN,
                    whole,
                    Shape.of(n),
                    new boolean[] {true},
                    0)
                .getAsDouble(0);
        double var =
            Reductions.reduce(
                    org.jetlag.graph.ops.OpKind.ReduceFn.VAR,
                    whole,
                    Shape.of(n),
                    new boolean[] {true},
                    0)
                .getAsDouble(0);
        double em = fn == CreateFn.RANDOM_UNIFORM ? 0.5 : 1.5;
        double ev = fn == CreateFn.RANDOM_UNIFORM ? 25.0 / 12 : 4.0;
        // 5 standard errors.
        assertThat(Math.abs(mean - em)).as(fn + " mean").isLessThan(5 * Math.sqrt(ev / n));
        assertThat(Math.abs(var - ev) / ev).as(fn + " var").isLessThan(0.02);
        if (fn == CreateFn.RANDOM_UNIFORM) {
          for (double v : whole.doubles()) {
            assertThat(v).isGreaterThanOrEqualTo(-2.0).isLessThan(3.0);
          }
        }
        Block other = Block.allocate(dt, 10);
        p.put("seed", 43L);
        Creation.fill(fn, p, t, 0, other, 10);
        assertThat(other.doubles()).isNotEqualTo(java.util.Arrays.copyOf(whole.doubles(), 10));
      }
    }
  }
}
