package org.jetlag.runner.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.Ops;

/**
 * Loop-invariant code motion: the part of a loop body that depends only on values fixed for the
 * whole loop (and on creation ops) is computed once, before the first iteration, instead of once
 * per iteration. The body is split into a {@code pre} graph (fixed inputs → hoisted values) and a
 * {@code body} graph that takes the hoisted values as extra fixed inputs named {@code __h0}, {@code
 * __h1}, …. Node ids are kept, so profiles and traces still name the user's nodes.
 *
 * @param pre the invariant part; its outputs are the hoisted values
 * @param body the rest of the body
 */
public record Hoist(TypedGraph pre, TypedGraph body) {
  /** The split of {@code body}, or empty when nothing is worth hoisting. */
  public static Optional<Hoist> plan(
      TypedGraph body, Map<PortRef, TensorType> types, List<String> carried) {
    Graph g = body.graph();
    Set<String> invariant = new LinkedHashSet<>();
    for (Node n : body.order()) {
      OpKind k = body.spec(n.id()).kind();
      if (n.op().equals("input")) {
        if (!carried.contains((String) body.params(n.id()).get("name"))) {
          invariant.add(n.id());
        }
        continue;
      }
      if (n.op().equals("output") || k instanceof OpKind.Control || k instanceof OpKind.Io) {
        continue;
      }
      boolean all = true;
      for (String port : body.inputPorts(n.id())) {
        all &= invariant.contains(body.source(n.id(), port).node());
      }
      if (all) {
        invariant.add(n.id());
      }
    }
    Set<String> compute = new LinkedHashSet<>();
    for (String id : invariant) {
      if (!g.node(id).orElseThrow().op().equals("input")) {
        compute.add(id);
      }
    }
    // the hoisted values: outputs of invariant work read by the rest of the body
    List<PortRef> frontier = new ArrayList<>();
    for (String id : compute) {
      for (String port : body.outputPorts(id)) {
        PortRef p = new PortRef(id, port);
        if (body.consumers(p).stream().anyMatch(c -> !invariant.contains(c.node()))) {
          frontier.add(p);
        }
      }
    }
    if (compute.isEmpty() || frontier.isEmpty()) {
      return Optional.empty();
    }
    Map<PortRef, String> hoisted = new LinkedHashMap<>();
    for (int i = 0; i < frontier.size(); i++) {
      hoisted.put(frontier.get(i), "__h" + i);
    }
    // pre: the invariant nodes and an output per hoisted value
    List<Node> preNodes = new ArrayList<>();
    List<Edge> preEdges = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (invariant.contains(n.id())) {
        preNodes.add(n);
      }
    }
    for (Edge e : g.edges()) {
      if (invariant.contains(e.from().node()) && invariant.contains(e.to().node())) {
        preEdges.add(e);
      }
    }
    for (Map.Entry<PortRef, String> h : hoisted.entrySet()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", h.getValue());
      preNodes.add(Node.of("out" + h.getValue(), "output", p));
      preEdges.add(new Edge(h.getKey(), new PortRef("out" + h.getValue(), "x")));
    }
    // body: everything else, reading the hoisted values from new inputs
    List<Node> bodyNodes = new ArrayList<>();
    List<Edge> bodyEdges = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (!compute.contains(n.id())) {
        bodyNodes.add(n);
      }
    }
    for (Map.Entry<PortRef, String> h : hoisted.entrySet()) {
      TensorType t = types.get(h.getKey());
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", h.getValue());
      p.put("dtype", t.dtype().wireName());
      List<Object> dims = new ArrayList<>();
      for (long d : t.shape().toArray()) {
        dims.add(d);
      }
      p.put("shape", dims);
      bodyNodes.add(Node.of(h.getValue(), "input", p));
    }
    for (Edge e : g.edges()) {
      if (compute.contains(e.to().node())) {
        continue;
      }
      String h = hoisted.get(e.from());
      if (h != null) {
        bodyEdges.add(new Edge(new PortRef(h, Ops.OUT), e.to()));
      } else if (!compute.contains(e.from().node())) {
        bodyEdges.add(e);
      }
    }
    Validation.Result pre =
        Validation.validate(Graph.of(g.name() + "-invariant", "", preNodes, preEdges));
    Validation.Result rest = Validation.validate(Graph.of(g.name(), "", bodyNodes, bodyEdges));
    if (pre.typed().isEmpty() || rest.typed().isEmpty()) {
      return Optional.empty(); // never expected; running the body unsplit is always correct
    }
    return Optional.of(new Hoist(pre.typed().get(), rest.typed().get()));
  }
}
