package org.jetlag.editor;

import java.util.List;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Node;

/**
 * Copied nodes and the edges among them, as {@link Edits#copy} takes them and {@link Edits#paste}
 * puts them back under fresh ids.
 *
 * @param nodes the copied nodes, in document order
 * @param edges the edges whose both ends are copied
 */
public record Clipboard(List<Node> nodes, List<Edge> edges) {
  /** Copies the lists. */
  public Clipboard {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /** Nothing copied. */
  public static Clipboard empty() {
    return new Clipboard(List.of(), List.of());
  }

  /** True when nothing is copied. */
  public boolean isEmpty() {
    return nodes.isEmpty();
  }
}
