package org.jetlag.runner.plan;

import java.util.List;
import java.util.Map;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.Ops;

/** Which transposes the runners never materialise (the {@code X.T @ B} pattern). */
public final class VirtualTransposes {
  private VirtualTransposes() {}

  /**
   * Transposes of a 2-D array X [N,k] whose every consumer is the left operand of a matmul or dot
   * with a right operand of N rows and a floating result: those products are computed as the sum of
   * per-chunk {@code X_i.T @ B_i}, so X.T is never built.
   */
  public static java.util.Set<String> of(TypedGraph g, Map<PortRef, TensorType> types) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (Node n : g.order()) {
      if (!n.op().equals("transpose")) {
        continue;
      }
      TensorType in = types.get(g.source(n.id(), "x"));
      Object axes = g.params(n.id()).get("axes");
      if (in.shape().rank() != 2 || (axes != null && !axes.equals(List.of(1L, 0L)))) {
        continue;
      }
      List<PortRef> cons = g.consumers(new PortRef(n.id(), Ops.OUT));
      boolean ok = !cons.isEmpty();
      for (PortRef c : cons) {
        String op = g.graph().node(c.node()).map(Node::op).orElse("");
        if (!(op.equals("matmul") || op.equals("dot")) || !c.port().equals("a")) {
          ok = false;
          break;
        }
        TensorType b = types.get(g.source(c.node(), "b"));
        TensorType res = types.get(new PortRef(c.node(), Ops.OUT));
        if (b.shape().rank() < 1
            || b.shape().rank() > 2
            || b.shape().dim(0) != in.shape().dim(0)
            || !res.dtype().isFloating()) {
          ok = false;
          break;
        }
      }
      if (ok) {
        out.add(n.id());
      }
    }
    return out;
  }
}
