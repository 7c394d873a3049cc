package org.jetlag.editor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.Validation;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;
import org.jetlag.graph.ops.PortSpec;

/**
 * The ports of each node and the types known on them, also for a graph that does not validate yet
 * (a half-drawn graph): every output whose node's inputs are all typed gets a type.
 *
 * <p>{@link Validation} yields types only for a valid graph, and the editor must show types while
 * the user draws; so this walks the graph in dependency order and asks each op's type rule, as
 * validation does, skipping nodes that cannot be typed.
 */
public final class PortTypes {
  private final Map<PortRef, TensorType> types;
  private final Map<String, List<String>> inputs;
  private final Map<String, List<String>> outputs;

  private PortTypes(
      Map<PortRef, TensorType> types,
      Map<String, List<String>> inputs,
      Map<String, List<String>> outputs) {
    this.types = types;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  /** The ports and known types of a graph's nodes. */
  public static PortTypes of(Graph g) {
    Map<String, List<String>> ins = new LinkedHashMap<>();
    Map<String, List<String>> outs = new LinkedHashMap<>();
    Map<String, OpSpec> specs = new HashMap<>();
    for (Node n : g.nodes()) {
      Optional<OpSpec> s = Ops.byName(n.op());
      if (s.isEmpty()) {
        ins.put(n.id(), List.of());
        outs.put(n.id(), List.of());
        continue;
      }
      specs.put(n.id(), s.get());
      ins.put(n.id(), inputPorts(g, n, s.get()));
      outs.put(n.id(), outputPorts(n, s.get()));
    }
    Map<PortRef, TensorType> types = new HashMap<>();
    Map<PortRef, PortRef> source = new HashMap<>();
    for (Edge e : g.edges()) {
      source.put(e.to(), e.from());
    }
    for (Node n : order(g)) {
      OpSpec s = specs.get(n.id());
      if (s == null) {
        continue;
      }
      try {
        if (s.hasBody()) {
          Validation.validate(n.body().orElseThrow())
              .typed()
              .ifPresent(
                  tg -> {
                    for (Node o : tg.graph().outputNodes()) {
                      types.put(
                          new PortRef(n.id(), String.valueOf(o.params().get("name"))),
                          tg.inputType(o.id(), "x"));
                    }
                  });
          continue;
        }
        Map<String, TensorType> in = new LinkedHashMap<>();
        boolean all = true;
        for (String p : ins.get(n.id())) {
          PortRef src = source.get(new PortRef(n.id(), p));
          TensorType t = src == null ? null : types.get(src);
          if (t == null) {
            all = false;
            break;
          }
          in.put(p, t);
        }
        if (!all) {
          continue;
        }
        List<TensorType> res = s.infer(s.canonicalParams(n.params()), in);
        List<String> os = outs.get(n.id());
        for (int i = 0; i < os.size() && i < res.size(); i++) {
          types.put(new PortRef(n.id(), os.get(i)), res.get(i));
        }
      } catch (RuntimeException e) {
        // Not typeable now (bad parameter, wrong input types): validation reports why.
      }
    }
    return new PortTypes(types, ins, outs);
  }

  /** The type known on an output port. */
  public Optional<TensorType> output(PortRef port) {
    return Optional.ofNullable(types.get(port));
  }

  /** The input port names of a node; a variadic port shows its connected slots and one free. */
  public List<String> inputs(String nodeId) {
    return inputs.getOrDefault(nodeId, List.of());
  }

  /** The output port names of a node. */
  public List<String> outputs(String nodeId) {
    return outputs.getOrDefault(nodeId, List.of());
  }

  private static List<String> inputPorts(Graph g, Node n, OpSpec s) {
    List<String> l = new ArrayList<>();
    if (s.hasBody()) {
      n.body()
          .ifPresent(
              b -> b.inputNodes().forEach(i -> l.add(String.valueOf(i.params().get("name")))));
      return l;
    }
    for (PortSpec p : s.inputs()) {
      if (p.variadic()) {
        int count = 0;
        for (Edge e : g.edgesInto(n.id())) {
          String port = e.to().port();
          if (port.startsWith(p.name() + ".")) {
            try {
              count = Math.max(count, Integer.parseInt(port.substring(p.name().length() + 1)) + 1);
            } catch (NumberFormatException ex) {
              // an unknown port; validation reports it
            }
          }
        }
        for (int i = 0; i <= count; i++) {
          l.add(p.name() + "." + i);
        }
      } else {
        l.add(p.name());
      }
    }
    return l;
  }

  private static List<String> outputPorts(Node n, OpSpec s) {
    if (s.hasBody()) {
      List<String> l = new ArrayList<>();
      n.body()
          .ifPresent(
              b -> b.outputNodes().forEach(o -> l.add(String.valueOf(o.params().get("name")))));
      return l;
    }
    return s.outputs().stream().map(PortSpec::name).toList();
  }

  /** Kahn's order over the edges between existing nodes; nodes on a cycle come last. */
  private static List<Node> order(Graph g) {
    Map<String, Integer> indeg = new LinkedHashMap<>();
    Map<String, List<String>> next = new HashMap<>();
    for (Node n : g.nodes()) {
      indeg.putIfAbsent(n.id(), 0);
    }
    for (Edge e : g.edges()) {
      if (indeg.containsKey(e.from().node()) && indeg.containsKey(e.to().node())) {
        indeg.merge(e.to().node(), 1, Integer::sum);
        next.computeIfAbsent(e.from().node(), k -> new ArrayList<>()).add(e.to().node());
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    indeg.forEach(
        (k, v) -> {
          if (v == 0) {
            ready.add(k);
          }
        });
    List<Node> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      String v = ready.poll();
      out.add(g.node(v).orElseThrow());
      for (String w : next.getOrDefault(v, List.of())) {
        if (indeg.merge(w, -1, Integer::sum) == 0) {
          ready.add(w);
        }
      }
    }
    return out;
  }
}
