package org.jetlag.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One node of a graph: an op from the catalogue, its parameters as written, and for composite and
 * loop nodes a body sub-graph. Immutable.
 *
 * <p>Parameters are kept raw, exactly as JSON holds them ({@code Long}, {@code Double}, {@code
 * Boolean}, {@code String}, lists of these with possible {@code null}s), so that a document
 * round-trips byte for byte; validation checks them against the op's parameter specs.
 *
 * @param id the node id, unique in its graph; it names the node in JSON, messages and traces
 * @param op the op's wire name
 * @param params raw parameter values in written order
 * @param body the sub-graph of a composite or loop node
 * @param position layout for the editor, ignored by runners
 */
public record Node(
    String id,
    String op,
    Map<String, Object> params,
    Optional<Graph> body,
    Optional<Position> position) {

  private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

  /** Validates the id and copies the parameters deeply. */
  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(op, "op");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "node id \""
              + id
              + "\" must start with a letter or '_' and hold only letters, digits, '_', '.', '-'");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    params.forEach((k, v) -> copy.put(k, freeze(v)));
    params = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(position, "position");
  }

  /** A node without body or position. */
  public static Node of(String id, String op, Map<String, Object> params) {
    return new Node(id, op, params, Optional.empty(), Optional.empty());
  }

  /** This node at another position. */
  public Node withPosition(Position p) {
    return new Node(id, op, params, body, Optional.of(p));
  }

  /** This node with one parameter set (raw value) or removed (null). */
  public Node withParam(String name, Object raw) {
    Map<String, Object> m = new LinkedHashMap<>(params);
    if (raw == null) {
      m.remove(name);
    } else {
      m.put(name, raw);
    }
    return new Node(id, op, m, body, position);
  }

  /** This node with another body. */
  public Node withBody(Graph g) {
    return new Node(id, op, params, Optional.of(g), position);
  }

  /** This node under another id. */
  public Node withId(String newId) {
    return new Node(newId, op, params, body, position);
  }

  private static Object freeze(Object v) {
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object o : (List<?>) v) {
        l.add(freeze(o));
      }
      return Collections.unmodifiableList(l);
    }
    if (v instanceof Integer) {
      return ((Integer) v).longValue();
    }
    if (v instanceof Float) {
      return ((Float) v).doubleValue();
    }
    if (v == null
        || v instanceof Long
        || v instanceof Double
        || v instanceof Boolean
        || v instanceof String) {
      return v;
    }
    if (v instanceof DType) {
      return ((DType) v).wireName();
    }
    throw new IllegalArgumentException(
        "parameter values must be numbers, booleans, strings or lists, got " + v.getClass());
  }
}
