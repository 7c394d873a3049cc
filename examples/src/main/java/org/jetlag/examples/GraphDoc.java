package org.jetlag.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Position;
import org.jetlag.graph.ops.Ops;

/**
 * Writes graph documents node by node, with readable ids and an editor layout on a grid (column
 * left to right, row top to bottom). Used to produce the example {@code graph.json} files; the
 * fluent {@link org.jetlag.graph.build.GraphBuilder} is the API for users.
 */
final class GraphDoc {
  private static final double COLUMN = 200;
  private static final double ROW = 100;
  private static final double MARGIN = 40;

  private final String name;
  private final String description;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Edge> edges = new ArrayList<>();

  GraphDoc(String name, String description) {
    this.name = name;
    this.description = description;
  }

  /** Parameters in the order given: {@code params("axis", List.of(1L), "keepdims", true)}. */
  static Map<String, Object> params(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A shape list; {@code null} stands for the unknown leading dimension. */
  static List<Object> shape(Long... dims) {
    return new ArrayList<>(Arrays.asList(dims));
  }

  private static Position at(double col, double row) {
    return new Position(MARGIN + col * COLUMN, MARGIN + row * ROW);
  }

  /** A graph input node whose id is its name. */
  GraphDoc input(String inputName, String dtype, List<Object> dims, double col, double row) {
    nodes.add(
        new Node(
            inputName,
            "input",
            params("name", inputName, "dtype", dtype, "shape", dims),
            Optional.empty(),
            Optional.of(at(col, row))));
    return this;
  }

  /** A graph output node {@code out_<name>} fed by {@code source} ("node" or "node:port"). */
  GraphDoc output(String outputName, String source, double col, double row) {
    return op("out_" + outputName, "output", params("name", outputName), col, row, "x=" + source);
  }

  /**
   * A node of any op; inputs are {@code "port=node"} or {@code "port=node:port"} (the output port
   * defaults to {@code out}).
   */
  GraphDoc op(
      String id, String op, Map<String, Object> p, double col, double row, String... inputs) {
    nodes.add(new Node(id, op, p, Optional.empty(), Optional.of(at(col, row))));
    wire(id, inputs);
    return this;
  }

  /** A loop node with a body. */
  GraphDoc loop(
      String id, Map<String, Object> p, GraphDoc body, double col, double row, String... inputs) {
    nodes.add(new Node(id, "loop", p, Optional.of(body.build()), Optional.of(at(col, row))));
    wire(id, inputs);
    return this;
  }

  private void wire(String id, String... inputs) {
    for (String in : inputs) {
      int eq = in.indexOf('=');
      String port = in.substring(0, eq);
      String src = in.substring(eq + 1);
      PortRef from = src.contains(":") ? PortRef.parse(src) : new PortRef(src, Ops.OUT);
      edges.add(new Edge(from, new PortRef(id, port)));
    }
  }

  Graph build() {
    return Graph.of(name, description, nodes, edges);
  }
}
