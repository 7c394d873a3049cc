package org.jetlag.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Terse constructors for hand-written graphs in tests. */
public final class TestGraphs {
  private TestGraphs() {}

  /** Parameters from alternating keys and raw values, in order. */
  public static Map<String, Object> params(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A node without body or position. */
  public static Node node(String id, String op, Object... kv) {
    return Node.of(id, op, params(kv));
  }

  /** A node with a body. */
  public static Node withBody(String id, String op, Graph body, Object... kv) {
    return new Node(id, op, params(kv), Optional.of(body), Optional.empty());
  }

  /** An {@code input} node whose id is also its name; null dims are unknown. */
  public static Node input(String name, String dtype, Long... dims) {
    return node(name, "input", "name", name, "dtype", dtype, "shape", Arrays.asList(dims));
  }

  /** An {@code output} node {@code out_<name>}. */
  public static Node output(String name) {
    return node("out_" + name, "output", "name", name);
  }

  /** An edge written {@code "a:out" -> "b:x"}. */
  public static Edge edge(String from, String to) {
    return Edge.of(from, to);
  }

  /** A graph of nodes and edges; the arguments may be mixed. */
  public static Graph graph(Object... parts) {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    for (Object p : parts) {
      if (p instanceof Node) {
        nodes.add((Node) p);
      } else {
        edges.add((Edge) p);
      }
    }
    return Graph.of("test", "", nodes, edges);
  }
}
