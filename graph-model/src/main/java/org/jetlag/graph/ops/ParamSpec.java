package org.jetlag.graph.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;

/**
 * A parameter an op accepts: its type, default, limits and one line of docs.
 *
 * <p>Raw values are what JSON holds ({@code Long}, {@code Double}, {@code Boolean}, {@code String},
 * lists of these, {@code null} inside lists); {@link #coerce} turns one into the canonical Java
 * type of {@link ParamType} or says exactly why it cannot.
 *
 * @param name the key in a node's {@code params}
 * @param type the kind of value
 * @param required true when a node must set it
 * @param defaultValue the raw default when not required and not set
 * @param min inclusive lower limit for numbers (and for each element of integer lists)
 * @param max inclusive upper limit
 * @param choices allowed values of a string, empty for any
 * @param doc one line for the property sheet and the op reference
 */
public record ParamSpec(
    String name,
    ParamType type,
    boolean required,
    Optional<Object> defaultValue,
    Optional<Double> min,
    Optional<Double> max,
    List<String> choices,
    String doc) {

  /** Validates the components. */
  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    choices = List.copyOf(choices);
    Objects.requireNonNull(doc, "doc");
  }

  /** A parameter that must be set. */
  public static ParamSpec required(String name, ParamType type, String doc) {
    return new ParamSpec(
        name, type, true, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), doc);
  }

  /** A parameter with a raw default value. */
  public static ParamSpec optional(String name, ParamType type, Object defaultValue, String doc) {
    return new ParamSpec(
        name,
        type,
        false,
        Optional.of(defaultValue),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        doc);
  }

  /** A parameter that may be left unset, meaning something the doc explains. */
  public static ParamSpec absentable(String name, ParamType type, String doc) {
    return new ParamSpec(
        name, type, false, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), doc);
  }

  /** This spec with inclusive numeric limits. */
  public ParamSpec withRange(double lo, double hi) {
    return new ParamSpec(
        name, type, required, defaultValue, Optional.of(lo), Optional.of(hi), choices, doc);
  }

  /** This spec limited to the given string choices. */
  public ParamSpec withChoices(String... allowed) {
    return new ParamSpec(name, type, required, defaultValue, min, max, List.of(allowed), doc);
  }

  /**
   * The canonical form of a raw value.
   *
   * @throws IllegalArgumentException with a message "expected …, got …"
   */
  public Object coerce(Object raw) {
    switch (type) {
      case INT:
        return checkRange(asLong(raw, "an int"));
      case FLOAT:
        if (raw instanceof Long || raw instanceof Double || raw instanceof Integer) {
          double d = ((Number) raw).doubleValue();
          checkRange(d);
          return d;
        }
        throw mismatch("a number", raw);
      case BOOL:
        if (raw instanceof Boolean) {
          return raw;
        }
        throw mismatch("true or false", raw);
      case STRING:
        if (raw instanceof String) {
          if (!choices.isEmpty() && !choices.contains(raw)) {
            throw new IllegalArgumentException(
                "expected one of " + choices + ", got " + render(raw));
          }
          return raw;
        }
        throw mismatch("a string", raw);
      case DTYPE:
        if (raw instanceof String) {
          return DType.fromWireName((String) raw)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "expected a dtype (float64, float32, int64, int32, bool), got "
                              + render(raw)));
        }
        throw mismatch("a dtype name", raw);
      case SHAPE:
        return asShape(raw);
      case INT_LIST:
        if (raw instanceof Long || raw instanceof Integer) {
          return List.of(checkRange(((Number) raw).longValue()));
        }
        if (raw instanceof List) {
          List<Long> out = new ArrayList<>();
          for (Object o : (List<?>) raw) {
            out.add(checkRange(asLong(o, "a list of ints")));
          }
          return List.copyOf(out);
        }
        throw mismatch("an int or a list of ints", raw);
      case TENSOR:
        return asLiteral(raw);
    }
    throw new IllegalStateException("unhandled parameter type " + type);
  }

  private long asLong(Object raw, String what) {
    if (raw instanceof Long || raw instanceof Integer) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Double) {
      double d = (Double) raw;
      if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
        return (long) d;
      }
    }
    throw mismatch(what, raw);
  }

  private long checkRange(long v) {
    checkRange((double) v);
    return v;
  }

  private void checkRange(double v) {
    boolean low = min.isPresent() && v < min.get();
    boolean high = max.isPresent() && v > max.get();
    if (low || high || Double.isNaN(v) && (min.isPresent() || max.isPresent())) {
      throw new IllegalArgumentException(
          "expected a value in ["
              + min.map(ParamSpec::num).orElse("-inf")
              + ", "
              + max.map(ParamSpec::num).orElse("inf")
              + "], got "
              + num(v));
    }
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private Shape asShape(Object raw) {
    if (!(raw instanceof List)) {
      throw mismatch("a shape (a list of dimensions)", raw);
    }
    List<?> l = (List<?>) raw;
    long[] dims = new long[l.size()];
    for (int i = 0; i < dims.length; i++) {
      Object o = l.get(i);
      dims[i] = o == null ? Shape.UNKNOWN : asLong(o, "a shape (a list of dimensions)");
      if (o != null && dims[i] < 0) {
        throw new IllegalArgumentException(
            "expected non-negative dimensions, got " + dims[i] + " in " + render(raw));
      }
    }
    try {
      return Shape.of(dims);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private Literal asLiteral(Object raw) {
    List<Long> dims = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Object cur = raw;
    while (cur instanceof List) {
      dims.add((long) ((List<?>) cur).size());
      if (((List<?>) cur).isEmpty()) {
        break;
      }
      cur = ((List<?>) cur).get(0);
    }
    if (dims.size() > Shape.MAX_RANK) {
      throw new IllegalArgumentException(
          "expected a tensor of rank at most " + Shape.MAX_RANK + ", got rank " + dims.size());
    }
    flatten(raw, 0, dims, values);
    return new Literal(Shape.of(dims), values);
  }

  private void flatten(Object o, int depth, List<Long> dims, List<Double> out) {
    if (depth == dims.size()) {
      if (o instanceof Number) {
        out.add(((Number) o).doubleValue());
      } else if (o instanceof Boolean) {
        out.add((Boolean) o ? 1.0 : 0.0);
      } else if (o instanceof String && isSpecial((String) o)) {
        out.add(Double.parseDouble(((String) o).replace("inf", "Infinity")));
      } else {
        throw new IllegalArgumentException(
            "expected a number in a tensor literal, got " + render(o));
      }
      return;
    }
    if (!(o instanceof List) || ((List<?>) o).size() != dims.get(depth)) {
      throw new IllegalArgumentException(
          "expected a rectangular nested list with dimension "
              + depth
              + " of length "
              + dims.get(depth)
              + ", got "
              + render(o));
    }
    for (Object e : (List<?>) o) {
      flatten(e, depth + 1, dims, out);
    }
  }

  private static boolean isSpecial(String s) {
    return s.equals("NaN") || s.equals("inf") || s.equals("-inf");
  }

  private IllegalArgumentException mismatch(String expected, Object raw) {
    return new IllegalArgumentException("expected " + expected + ", got " + render(raw));
  }

  /** Renders a raw value as JSON-like text for messages. */
  public static String render(Object raw) {
    if (raw == null) {
      return "null";
    }
    if (raw instanceof String) {
      return "\"" + raw + "\"";
    }
    if (raw instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) raw) {
        parts.add(render(o));
      }
      String s = "[" + String.join(",", parts) + "]";
      return s.length() > 60 ? s.substring(0, 57) + "...]" : s;
    }
    return String.valueOf(raw);
  }

  /** An unmodifiable list that may hold nulls, for raw shape values. */
  static List<Object> rawList(List<?> l) {
    return Collections.unmodifiableList(new ArrayList<>(l));
  }
}
