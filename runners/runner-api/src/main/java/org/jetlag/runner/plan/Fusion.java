package org.jetlag.runner.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.Ops;

/**
 * Groups chains of elementwise nodes so each group runs as one pass per chunk.
 *
 * <p>An elementwise node joins the group of an elementwise producer when it is that producer's only
 * consumer and both have the same output shape; intermediate results inside a group are never
 * materialised. Each group has exactly one sink, whose output leaves the group.
 */
public final class Fusion {
  /** Group members by sink id, members in topological order (sink last). */
  public final Map<String, List<Node>> groups = new LinkedHashMap<>();

  /** Sink id of every fused node. */
  public final Map<String, String> sinkOf = new LinkedHashMap<>();

  /**
   * The groups of a graph level, given every port's (static or concrete) type. Every runner uses
   * the same groups, so fused time is apportioned alike everywhere.
   */
  public Fusion(TypedGraph g, Map<PortRef, TensorType> types) {
    Map<String, String> parent = new LinkedHashMap<>();
    for (Node n : g.order()) {
      if (!g.spec(n.id()).kind().isElementwise()) {
        continue;
      }
      parent.put(n.id(), n.id());
    }
    for (Node n : g.order()) {
      if (!parent.containsKey(n.id())) {
        continue;
      }
      TensorType outT = types.get(new PortRef(n.id(), Ops.OUT));
      for (String port : g.inputPorts(n.id())) {
        PortRef src = g.source(n.id(), port);
        if (!parent.containsKey(src.node())) {
          continue;
        }
        List<PortRef> cons = g.consumers(src);
        boolean onlyMe = cons.stream().allMatch(c -> c.node().equals(n.id()));
        TensorType srcT = types.get(src);
        if (onlyMe && srcT.shape().equals(outT.shape())) {
          union(parent, src.node(), n.id());
        }
      }
    }
    Map<String, List<Node>> byRoot = new LinkedHashMap<>();
    for (Node n : g.order()) {
      if (parent.containsKey(n.id())) {
        byRoot.computeIfAbsent(find(parent, n.id()), k -> new ArrayList<>()).add(n);
      }
    }
    for (List<Node> members : byRoot.values()) {
      Node sink = members.get(members.size() - 1);
      groups.put(sink.id(), List.copyOf(members));
      for (Node m : members) {
        sinkOf.put(m.id(), sink.id());
      }
    }
  }

  private static String find(Map<String, String> p, String x) {
    while (!p.get(x).equals(x)) {
      p.put(x, p.get(p.get(x)));
      x = p.get(x);
    }
    return x;
  }

  private static void union(Map<String, String> p, String a, String b) {
    String ra = find(p, a);
    String rb = find(p, b);
    if (!ra.equals(rb)) {
      p.put(ra, rb);
    }
  }
}
