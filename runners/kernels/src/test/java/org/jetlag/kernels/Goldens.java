package org.jetlag.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;

/** Loads the NumPy golden files written by src/test/python/make_goldens.py and compares blocks. */
final class Goldens {
  private Goldens() {}

  static List<JsonNode> cases(String file) {
    try (InputStream in = Goldens.class.getResourceAsStream("/goldens/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing golden " + file);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      List<JsonNode> l = new ArrayList<>();
      root.get("cases").forEach(l::add);
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double num(JsonNode v) {
    if (v.isTextual()) {
      switch (v.asText()) {
        case "nan":
          return Double.NaN;
        case "inf":
          return Double.POSITIVE_INFINITY;
        case "-inf":
          return Double.NEGATIVE_INFINITY;
        default:
          throw new IllegalArgumentException(v.asText());
      }
    }
    return v.asDouble();
  }

  static DType dtype(JsonNode arr) {
    return DType.fromWireName(arr.get("dtype").asText()).orElseThrow();
  }

  static Shape shape(JsonNode arr) {
    List<Long> d = new ArrayList<>();
    arr.get("shape").forEach(x -> d.add(x.asLong()));
    return Shape.of(d);
  }

  static Block block(JsonNode arr) {
    DType dt = dtype(arr);
    JsonNode vals = arr.get("values");
    Block b = Block.allocate(dt, vals.size());
    for (int i = 0; i < vals.size(); i++) {
      if (dt.isFloating()) {
        b.setDouble(i, num(vals.get(i)));
      } else {
        b.setLong(i, vals.get(i).asLong());
      }
    }
    return b;
  }

  static boolean[] axes(JsonNode c, int rank) {
    boolean[] red = new boolean[rank];
    JsonNode ax = c.get("axes");
    if (ax == null || ax.isNull()) {
      java.util.Arrays.fill(red, true);
    } else {
      ax.forEach(a -> red[(int) a.asLong()] = true);
    }
    return red;
  }

  static List<Long> longs(JsonNode n) {
    List<Long> l = new ArrayList<>();
    n.forEach(x -> l.add(x.asLong()));
    return l;
  }

  /**
   * Null when {@code actual} matches the golden {@code expected} (same dtype, length, values within
   * {@code tol = [rtol, atol]}), else a description of the first difference.
   */
  static String mismatch(Block actual, JsonNode expected, JsonNode tol) {
    DType dt = dtype(expected);
    if (actual.dtype() != dt) {
      return "dtype " + actual.dtype() + " != " + dt;
    }
    JsonNode vals = expected.get("values");
    if (actual.length() != vals.size()) {
      return "length " + actual.length() + " != " + vals.size();
    }
    double rtol = tol.get(0).asDouble();
    double atol = tol.get(1).asDouble();
    for (int i = 0; i < vals.size(); i++) {
      if (dt.isFloating()) {
        double e = num(vals.get(i));
        double a = actual.getAsDouble(i);
        boolean ok =
            Double.isNaN(e)
                ? Double.isNaN(a)
                : Double.isInfinite(e) ? a == e : Math.abs(a - e) <= rtol * Math.abs(e) + atol;
        if (!ok) {
          return "at " + i + ": " + a + " != " + e + " (rtol " + rtol + ", atol " + atol + ")";
        }
      } else if (actual.getAsLong(i) != vals.get(i).asLong()) {
        return "at " + i + ": " + actual.getAsLong(i) + " != " + vals.get(i).asLong();
      }
    }
    return null;
  }
}
