package org.jetlag.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An immutable dataflow graph of array operations: nodes, edges from output ports to input ports,
 * and named inputs and outputs (the {@code input} and {@code output} nodes).
 *
 * <p>A {@code Graph} may be invalid; {@link org.jetlag.graph.Validation#validate} says how. Build
 * one from JSON ({@link org.jetlag.graph.json.GraphJson}) or with {@link
 * org.jetlag.graph.build.GraphBuilder}.
 */
public final class Graph {
  private final String name;
  private final String description;
  private final List<Node> nodes;
  private final List<Edge> edges;
  private final Map<String, Node> byId;

  private Graph(String name, String description, List<Node> nodes, List<Edge> edges) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
    Map<String, Node> m = new LinkedHashMap<>();
    for (Node n : this.nodes) {
      m.putIfAbsent(n.id(), n);
    }
    this.byId = m;
  }

  /**
   * A graph of these nodes and edges; duplicate ids and bad edges are allowed here and reported by
   * validation.
   */
  public static Graph of(String name, String description, List<Node> nodes, List<Edge> edges) {
    return new Graph(name, description, nodes, edges);
  }

  /** The graph's name (shown in reports and traces). */
  public String name() {
    return name;
  }

  /** A free-text description, possibly empty. */
  public String description() {
    return description;
  }

  /** The nodes in document order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The edges in document order. */
  public List<Edge> edges() {
    return edges;
  }

  /** The node with that id, if any. */
  public Optional<Node> node(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The {@code input} nodes in document order. */
  public List<Node> inputNodes() {
    return nodes.stream().filter(n -> n.op().equals("input")).collect(Collectors.toList());
  }

  /** The {@code output} nodes in document order. */
  public List<Node> outputNodes() {
    return nodes.stream().filter(n -> n.op().equals("output")).collect(Collectors.toList());
  }

  /** The edges that feed ports of that node, in document order. */
  public List<Edge> edgesInto(String nodeId) {
    return edges.stream().filter(e -> e.to().node().equals(nodeId)).collect(Collectors.toList());
  }

  /** The edges that leave ports of that node, in document order. */
  public List<Edge> edgesFrom(String nodeId) {
    return edges.stream().filter(e -> e.from().node().equals(nodeId)).collect(Collectors.toList());
  }

  /** This graph with another name. */
  public Graph withName(String newName) {
    return new Graph(newName, description, nodes, edges);
  }

  /** This graph with the nodes and edges replaced. */
  public Graph with(List<Node> newNodes, List<Edge> newEdges) {
    return new Graph(name, description, newNodes, newEdges);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Graph)) {
      return false;
    }
    Graph g = (Graph) o;
    return name.equals(g.name)
        && description.equals(g.description)
        && nodes.equals(g.nodes)
        && edges.equals(g.edges);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, description, nodes, edges);
  }

  @Override
  public String toString() {
    return "Graph[" + name + ", " + nodes.size() + " nodes, " + edges.size() + " edges]";
  }
}
