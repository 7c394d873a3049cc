package org.jetlag.editor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.DType;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Position;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/** Moves a selection into a new composite node (see {@link Edits#group}). */
final class Grouping {
  private Grouping() {}

  static Document group(Document d) {
    Set<String> sel = new HashSet<>(d.selection());
    Graph g = d.current();
    if (sel.isEmpty()) {
      return d;
    }
    PortTypes types = PortTypes.of(g);
    String gid = Edits.freshId(g, "group", Set.of());
    List<Node> inner = new ArrayList<>();
    List<Node> outer = new ArrayList<>();
    double sx = 0;
    double sy = 0;
    for (Node n : g.nodes()) {
      if (sel.contains(n.id())) {
        inner.add(n);
        Position p = n.position().orElse(new Position(0, 0));
        sx += p.x();
        sy += p.y();
      }
    }
    List<Edge> innerEdges = new ArrayList<>();
    List<Edge> outerEdges = new ArrayList<>();
    Map<PortRef, String> inNames = new LinkedHashMap<>();
    Map<PortRef, String> outNames = new LinkedHashMap<>();
    Graph bodySoFar = g.with(inner, List.of());
    Set<String> taken = new HashSet<>();
    for (Edge e : g.edges()) {
      boolean fromIn = sel.contains(e.from().node());
      boolean toIn = sel.contains(e.to().node());
      if (fromIn && toIn) {
        innerEdges.add(e);
      } else if (!fromIn && toIn) {
        String name = inNames.get(e.from());
        if (name == null) {
          name = Edits.freshId(bodySoFar, "in_" + e.from().node(), taken);
          taken.add(name);
          inNames.put(e.from(), name);
          TensorType t = types.output(e.from()).orElse(TensorType.of(DType.FLOAT64, Shape.UNKNOWN));
          Map<String, Object> params = new LinkedHashMap<>();
          params.put("name", name);
          params.put("dtype", t.dtype().wireName());
          params.put("shape", rawShape(t.shape()));
          inner.add(
              new Node(
                  name,
                  "input",
                  params,
                  Optional.empty(),
                  Optional.of(new Position(0, 120.0 * inNames.size()))));
          outerEdges.add(new Edge(e.from(), new PortRef(gid, name)));
        }
        innerEdges.add(new Edge(new PortRef(name, "out"), e.to()));
      } else if (fromIn) {
        String name = outNames.get(e.from());
        if (name == null) {
          name = Edits.freshId(bodySoFar, "out_" + e.from().node(), taken);
          taken.add(name);
          outNames.put(e.from(), name);
          inner.add(
              new Node(
                  name,
                  "output",
                  Map.of("name", name),
                  Optional.empty(),
                  Optional.of(new Position(800, 120.0 * outNames.size()))));
          innerEdges.add(new Edge(e.from(), new PortRef(name, "x")));
        }
        outerEdges.add(new Edge(new PortRef(gid, name), e.to()));
      } else {
        outerEdges.add(e);
      }
    }
    for (Node n : g.nodes()) {
      if (!sel.contains(n.id())) {
        outer.add(n);
      }
    }
    Graph body = Graph.of(gid, "", inner, innerEdges);
    Node composite =
        new Node(
            gid,
            "composite",
            Map.of("label", gid),
            Optional.of(body),
            Optional.of(new Position(Math.rint(sx / sel.size()), Math.rint(sy / sel.size()))));
    outer.add(composite);
    return d.withCurrent(g.with(outer, outerEdges)).withSelection(List.of(gid));
  }

  private static List<Object> rawShape(Shape s) {
    Object[] dims = new Object[s.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.dim(i) == Shape.UNKNOWN ? null : (Object) s.dim(i);
    }
    return Arrays.asList(dims);
  }
}
