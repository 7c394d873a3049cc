package org.jetlag.editor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Position;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;

/**
 * Every edit the editor makes, as a pure function from a document to a document. Edits act on the
 * current scope (the top graph or an opened body) and never throw for a graph that does not
 * validate: validation reports, it does not forbid.
 */
public final class Edits {
  private Edits() {}

  /**
   * The document with a new node of that op at {@code at}, selected alone. Parameters that the op
   * requires and that have an obvious value are filled in (a unique {@code name} for inputs and
   * outputs, an unknown-length {@code shape} for inputs); composite and loop nodes get a small body
   * with one input and one output.
   *
   * @throws IllegalArgumentException for an op that is not in the catalogue
   */
  public static Document addNode(Document d, String op, Position at) {
    OpSpec spec = Ops.get(op);
    Graph g = d.current();
    String id = freshId(g, op, Set.of());
    Map<String, Object> params = new LinkedHashMap<>();
    if (op.equals("input") || op.equals("output")) {
      params.put("name", freshName(g, op, id));
    }
    if (op.equals("input")) {
      params.put("shape", java.util.Arrays.asList((Object) null));
    }
    if (op.equals("loop")) {
      params.put("count", 10L);
    }
    Node n = new Node(id, op, params, Optional.empty(), Optional.of(round(at)));
    if (spec.hasBody()) {
      n = n.withBody(starterBody(op));
    }
    List<Node> nodes = new ArrayList<>(g.nodes());
    nodes.add(n);
    return d.withCurrent(g.with(nodes, g.edges())).withSelection(List.of(id));
  }

  private static Graph starterBody(String op) {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("name", "x");
    in.put("shape", java.util.Arrays.asList((Object) null));
    Node input = new Node("x", "input", in, Optional.empty(), Optional.of(new Position(40, 40)));
    Node output =
        new Node(
            "out_x",
            "output",
            Map.of("name", "x"),
            Optional.empty(),
            Optional.of(new Position(280, 40)));
    return Graph.of(op + "-body", "", List.of(input, output), List.of(Edge.of("x:out", "out_x:x")));
  }

  /** The document with the nodes moved by (dx, dy); nodes without a position start at 0, 0. */
  public static Document move(Document d, Collection<String> ids, double dx, double dy) {
    Map<String, Position> to = new LinkedHashMap<>();
    Graph g = d.current();
    for (String id : ids) {
      g.node(id)
          .ifPresent(
              n -> {
                Position p = n.position().orElse(new Position(0, 0));
                to.put(id, new Position(p.x() + dx, p.y() + dy));
              });
    }
    return place(d, to);
  }

  /** The document with the given nodes at the given positions (others unchanged). */
  public static Document place(Document d, Map<String, Position> positions) {
    Graph g = d.current();
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      Position p = positions.get(n.id());
      nodes.add(p == null ? n : n.withPosition(round(p)));
    }
    return d.withCurrent(g.with(nodes, g.edges()));
  }

  /** The document without the selected nodes and every edge touching them. */
  public static Document deleteSelection(Document d) {
    return delete(d, d.selection());
  }

  /** The document without these nodes and every edge touching them. */
  public static Document delete(Document d, Collection<String> ids) {
    Set<String> gone = new HashSet<>(ids);
    Graph g = d.current();
    List<Node> nodes = g.nodes().stream().filter(n -> !gone.contains(n.id())).toList();
    List<Edge> edges =
        g.edges().stream()
            .filter(e -> !gone.contains(e.from().node()) && !gone.contains(e.to().node()))
            .toList();
    return d.withCurrent(g.with(nodes, edges)).withSelection(List.of());
  }

  /**
   * The document with an edge from an output port to an input port; an edge already feeding that
   * input is replaced (an input takes one array). Use {@link Connections#check} first to refuse
   * incompatible connections with a reason.
   */
  public static Document connect(Document d, PortRef from, PortRef to) {
    Graph g = d.current();
    List<Edge> edges = new ArrayList<>();
    for (Edge e : g.edges()) {
      if (!e.to().equals(to)) {
        edges.add(e);
      }
    }
    edges.add(new Edge(from, to));
    return d.withCurrent(g.with(g.nodes(), edges));
  }

  /** The document without that edge. */
  public static Document disconnect(Document d, Edge edge) {
    Graph g = d.current();
    return d.withCurrent(
        g.with(g.nodes(), g.edges().stream().filter(e -> !e.equals(edge)).toList()));
  }

  /** The document with one parameter of a node set to a raw JSON value, or removed for null. */
  public static Document setParam(Document d, String nodeId, String name, Object raw) {
    Graph g = d.current();
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      nodes.add(n.id().equals(nodeId) ? n.withParam(name, raw) : n);
    }
    return d.withCurrent(g.with(nodes, g.edges()));
  }

  /** The selected nodes and the edges among them. */
  public static Clipboard copy(Document d) {
    Set<String> sel = new HashSet<>(d.selection());
    Graph g = d.current();
    return new Clipboard(
        g.nodes().stream().filter(n -> sel.contains(n.id())).toList(),
        g.edges().stream()
            .filter(e -> sel.contains(e.from().node()) && sel.contains(e.to().node()))
            .toList());
  }

  /**
   * The document with the clipboard's nodes added under fresh ids, moved by (dx, dy), with their
   * inner edges; the pasted nodes become the selection. Inputs and outputs get fresh names.
   */
  public static Document paste(Document d, Clipboard c, double dx, double dy) {
    Graph g = d.current();
    List<Node> nodes = new ArrayList<>(g.nodes());
    Set<String> taken = new HashSet<>();
    Map<String, String> ids = new LinkedHashMap<>();
    for (Node n : c.nodes()) {
      String id = freshId(g.with(nodes, g.edges()), n.id(), taken);
      taken.add(id);
      ids.put(n.id(), id);
      Position p = n.position().orElse(new Position(0, 0));
      Node copy = n.withId(id).withPosition(new Position(p.x() + dx, p.y() + dy));
      if (n.op().equals("input") || n.op().equals("output")) {
        copy = copy.withParam("name", freshName(g.with(nodes, g.edges()), n.op(), id));
      }
      nodes.add(copy);
    }
    List<Edge> edges = new ArrayList<>(g.edges());
    for (Edge e : c.edges()) {
      edges.add(
          new Edge(
              new PortRef(ids.get(e.from().node()), e.from().port()),
              new PortRef(ids.get(e.to().node()), e.to().port())));
    }
    return d.withCurrent(g.with(nodes, edges)).withSelection(ids.values());
  }

  /** The document with the selection copied and pasted next to itself. */
  public static Document duplicate(Document d) {
    return paste(d, copy(d), 40, 40);
  }

  /**
   * The document with the selected nodes moved into a new composite node: each edge entering the
   * selection becomes a body input, each edge leaving it a body output, so the graph computes the
   * same. The composite is placed where the selection was, and selected.
   */
  public static Document group(Document d) {
    return Grouping.group(d);
  }

  /** A node id not used in the graph nor in {@code taken}: {@code base}, else {@code base_2}, … */
  public static String freshId(Graph g, String base, Set<String> taken) {
    String stem = base.replaceAll("_[0-9]+$", "");
    if (!stem.matches("[A-Za-z_].*")) {
      stem = "n_" + stem;
    }
    if (g.node(stem).isEmpty() && !taken.contains(stem)) {
      return stem;
    }
    for (int i = 2; ; i++) {
      String id = stem + "_" + i;
      if (g.node(id).isEmpty() && !taken.contains(id)) {
        return id;
      }
    }
  }

  private static String freshName(Graph g, String op, String preferred) {
    Set<String> names = new HashSet<>();
    for (Node n : g.nodes()) {
      if (n.op().equals(op) && n.params().get("name") instanceof String) {
        names.add((String) n.params().get("name"));
      }
    }
    String stem = preferred.startsWith(op) ? (op.equals("input") ? "x" : "y") : preferred;
    if (!names.contains(stem)) {
      return stem;
    }
    for (int i = 2; ; i++) {
      if (!names.contains(stem + i)) {
        return stem + i;
      }
    }
  }

  private static Position round(Position p) {
    return new Position(Math.rint(p.x()), Math.rint(p.y()));
  }
}
