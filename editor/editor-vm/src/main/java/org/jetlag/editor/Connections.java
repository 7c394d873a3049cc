package org.jetlag.editor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.Validation;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.OpTypeException;
import org.jetlag.graph.ops.Ops;

/**
 * Decides, while a connection is dragged, which input ports may take it and why the others may not.
 * One instance is made per drag (from the document at its start), so the graph is validated once
 * per candidate port at most.
 */
public final class Connections {
  private final Document doc;
  private final PortRef from;
  private final Set<String> upstream;
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
    this.upstream = ancestors(doc.current(), from.node());
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
    if (upstream.contains(to.node())) {
      return Verdict.refused(
          "node '" + to.node() + "' already feeds node '" + from.node() + "': that makes a cycle");
    }
    Optional<TensorType> source = types.output(from);
    Node target = g.node(to.node()).orElseThrow();
    Optional<OpSpec> spec = Ops.byName(target.op());
    if (source.isEmpty() || spec.isEmpty()) {
      return Verdict.OK; // nothing known to check against yet
    }
    if (spec.get().hasBody()) {
      return checkByValidation(to);
    }
    // the target's type rule on its inputs with this one connected, as validation runs it
    Map<String, TensorType> ins = new LinkedHashMap<>();
    for (String p : types.inputs(to.node())) {
      if (p.equals(to.port())) {
        ins.put(p, source.get());
        continue;
      }
      Optional<TensorType> t =
          g.edgesInto(to.node()).stream()
              .filter(e -> e.to().port().equals(p))
              .findFirst()
              .flatMap(e -> types.output(e.from()));
      if (t.isPresent()) {
        ins.put(p, t.get());
      } else if (!isFreeVariadicSlot(p, g, to.node())) {
        return Verdict.OK; // another input is still open: the types are checked once it is set
      }
    }
    Map<String, Object> canonical;
    try {
      canonical = spec.get().canonicalParams(target.params());
    } catch (IllegalArgumentException e) {
      return Verdict.OK; // a parameter problem, reported by validation, not by this connection
    }
    try {
      spec.get().infer(canonical, ins);
      return Verdict.OK;
    } catch (OpTypeException e) {
      return Verdict.refused(
          Diagnostic.error(
                  "type", target.id(), target.op(), e.port().orElse(to.port()), e.getMessage())
              .toString());
    } catch (ArithmeticException | IllegalArgumentException e) {
      return Verdict.refused(
          Diagnostic.error("type", target.id(), target.op(), to.port(), e.getMessage()).toString());
    }
  }

  /** The free slot a variadic port always shows (its last) takes no array. */
  private static boolean isFreeVariadicSlot(String port, Graph g, String node) {
    return port.matches(".*\\.[0-9]+")
        && g.edgesInto(node).stream().noneMatch(e -> e.to().port().equals(port));
  }

  /** For loops and composites: validate the graph with the edge and look at the target port. */
  private Verdict checkByValidation(PortRef to) {
    Set<String> baseline = new HashSet<>();
    for (Diagnostic x : Validation.validate(doc.current()).errors()) {
      baseline.add(x.toString());
    }
    Graph candidate = Edits.connect(doc, from, to).current();
    for (Diagnostic x : Validation.validate(candidate).errors()) {
      boolean here =
          x.nodeId().map(to.node()::equals).orElse(false)
              && x.port().map(to.port()::equals).orElse(true);
      if (here && x.code().equals("type") && !baseline.contains(x.toString())) {
        return Verdict.refused(x.toString());
      }
    }
    return Verdict.OK;
  }

  /** The node and every node with a path to it. */
  private static Set<String> ancestors(Graph g, String node) {
    Set<String> seen = new HashSet<>();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(node));
    Map<String, List<String>> into = new HashMap<>();
    for (Edge e : g.edges()) {
      into.computeIfAbsent(e.to().node(), k -> new ArrayList<>()).add(e.from().node());
    }
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (seen.add(v)) {
        todo.addAll(into.getOrDefault(v, List.of()));
      }
    }
    return seen;
  }
}
