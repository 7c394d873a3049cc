package org.jetlag.editor;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.Validation;

/**
 * Decides, while a connection is dragged, which input ports may take it and why the others may not.
 * One instance is made per drag (from the document at its start), so the graph is validated once
 * per candidate port at most.
 */
public final class Connections {
  private final Document doc;
  private final PortRef from;
  private final Set<String> baseline;
  private final PortTypes types;
  private final Map<PortRef, Verdict> cache = new LinkedHashMap<>();

  /**
   * Whether one connection may be made.
   *
   * @param ok true when the edge may be drawn
   * @param reason why not, in the one error shape ({@code node 'sum' (sum) port 'x': expected …});
   *     empty when ok
   */
  public record Verdict(boolean ok, String reason) {
    /** A connection that may be made. */
    public static final Verdict OK = new Verdict(true, "");

    /** A refused connection. */
    public static Verdict refused(String reason) {
      return new Verdict(false, reason);
    }
  }

  private Connections(Document doc, PortRef from) {
    this.doc = doc;
    this.from = from;
    this.types = PortTypes.of(doc.current());
    this.baseline = new HashSet<>();
    for (Diagnostic x : Validation.validate(doc.current()).errors()) {
      baseline.add(x.toString());
    }
  }

  /** A checker for connections dragged out of {@code from} in the document's current scope. */
  public static Connections from(Document doc, PortRef from) {
    return new Connections(doc, from);
  }

  /** The output port the drag started at. */
  public PortRef source() {
    return from;
  }

  /** The type known on the source port, if any. */
  public Optional<TensorType> sourceType() {
    return types.output(from);
  }

  /** Whether {@code from} may feed {@code to}, with the reason when not. */
  public Verdict check(PortRef to) {
    return cache.computeIfAbsent(to, this::compute);
  }

  private Verdict compute(PortRef to) {
    Graph g = doc.current();
    if (to.node().equals(from.node())) {
      return Verdict.refused("a node cannot feed itself");
    }
    if (!types.inputs(to.node()).contains(to.port())) {
      return Verdict.refused("node '" + to.node() + "' has no input port '" + to.port() + "'");
    }
    if (reaches(g, to.node(), from.node())) {
      return Verdict.refused(
          "node '" + to.node() + "' already feeds node '" + from.node() + "': that makes a cycle");
    }
    Graph candidate = Edits.connect(doc, from, to).current();
    List<Diagnostic> errors = Validation.validate(candidate).errors();
    for (Diagnostic x : errors) {
      boolean here =
          x.nodeId().map(to.node()::equals).orElse(false)
              && (x.port().isEmpty() || x.port().get().equals(to.port()));
      if (here && x.code().equals("type") && !baseline.contains(x.toString())) {
        return Verdict.refused(x.toString());
      }
    }
    return Verdict.OK;
  }

  private static boolean reaches(Graph g, String start, String target) {
    Set<String> seen = new HashSet<>();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (v.equals(target)) {
        return true;
      }
      if (seen.add(v)) {
        for (Edge e : g.edgesFrom(v)) {
          todo.push(e.to().node());
        }
      }
    }
    return false;
  }
}
