package org.jetlag.editor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;

/**
 * What the editor edits: the whole graph (layout included, as node positions), the composite or
 * loop body being looked at, and the selection. Immutable; every edit returns a new document, so
 * undo and redo are two stacks of documents.
 *
 * @param root the whole graph as it is saved
 * @param scope the ids of the composite or loop nodes opened, outermost first; empty for the top
 * @param selection the selected node ids of the current scope, sorted
 */
public record Document(Graph root, List<String> scope, List<String> selection) {
  /** Validates that the scope leads to bodies and copies the lists (the selection sorted). */
  public Document {
    Objects.requireNonNull(root, "root");
    scope = List.copyOf(scope);
    selection = List.copyOf(new TreeSet<>(selection));
    Graph g = root;
    for (String id : scope) {
      Graph at = g;
      g =
          at.node(id)
              .flatMap(Node::body)
              .orElseThrow(
                  () -> new IllegalArgumentException("scope: node '" + id + "' has no body"));
    }
  }

  /** A document of a graph, at the top, nothing selected. */
  public static Document of(Graph g) {
    return new Document(g, List.of(), List.of());
  }

  /** The graph of the current scope: the root, or the body opened. */
  public Graph current() {
    Graph g = root;
    for (String id : scope) {
      g = g.node(id).flatMap(Node::body).orElseThrow();
    }
    return g;
  }

  /** This document with the current scope's graph replaced (the root rebuilt around it). */
  public Document withCurrent(Graph g) {
    return new Document(replace(root, scope, g), scope, selection);
  }

  private static Graph replace(Graph parent, List<String> path, Graph g) {
    if (path.isEmpty()) {
      return g;
    }
    String id = path.get(0);
    List<Node> nodes = new ArrayList<>();
    for (Node n : parent.nodes()) {
      nodes.add(
          n.id().equals(id)
              ? n.withBody(replace(n.body().orElseThrow(), path.subList(1, path.size()), g))
              : n);
    }
    return parent.with(nodes, parent.edges());
  }

  /** This document with another selection (ids not in the current scope are dropped). */
  public Document withSelection(Collection<String> ids) {
    Graph g = current();
    return new Document(root, scope, ids.stream().filter(id -> g.node(id).isPresent()).toList());
  }

  /** This document looking into another scope, with nothing selected. */
  public Document withScope(List<String> newScope) {
    return new Document(root, newScope, List.of());
  }

  /** True when the node is selected. */
  public boolean isSelected(String id) {
    return selection.contains(id);
  }

  /**
   * The key of a node of the current scope in run events and traces: its id, prefixed by the
   * scope's path ({@code lloyd/x3}).
   */
  public String traceKey(String id) {
    return scope.isEmpty() ? id : String.join("/", scope) + "/" + id;
  }
}
