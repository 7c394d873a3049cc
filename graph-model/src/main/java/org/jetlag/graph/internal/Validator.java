package org.jetlag.graph.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jetlag.graph.DType;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.OpTypeException;
import org.jetlag.graph.ops.Ops;
import org.jetlag.graph.ops.ParamSpec;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

/** Validates a graph in passes, collecting every diagnostic; see {@link Validation}. */
public final class Validator {
  private final Graph g;
  private final List<Diagnostic> out = new ArrayList<>();
  private final Map<String, OpSpec> specs = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> params = new LinkedHashMap<>();
  private final Map<String, List<String>> inPorts = new LinkedHashMap<>();
  private final Map<String, List<String>> outPorts = new LinkedHashMap<>();
  private final Map<String, TypedGraph> bodies = new LinkedHashMap<>();
  private final Map<String, List<String>> carried = new LinkedHashMap<>();
  private final Map<PortRef, PortRef> sources = new LinkedHashMap<>();
  private final Map<PortRef, TensorType> types = new LinkedHashMap<>();
  private final Set<String> broken = new LinkedHashSet<>();

  private Validator(Graph g) {
    this.g = g;
  }

  /** Validates a graph. */
  public static Validation.Result validate(Graph g) {
    return new Validator(g).run();
  }

  private void error(String code, Node n, String port, String msg) {
    out.add(Diagnostic.error(code, n.id(), n.op(), port, msg));
    broken.add(n.id());
  }

  private Validation.Result run() {
    Set<String> ids = new LinkedHashSet<>();
    List<Node> unique = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (!ids.add(n.id())) {
        error("duplicate-id", n, null, "the id is used by more than one node");
      } else {
        unique.add(n);
      }
    }
    for (Node n : unique) {
      checkNode(n);
    }
    checkNames();
    checkEdges();
    List<Node> order = topologicalOrder(unique);
    if (order != null) {
      for (Node n : order) {
        inferNode(n);
      }
    }
    boolean hasError = out.stream().anyMatch(Diagnostic::isError);
    if (hasError || order == null) {
      return new Validation.Result(out, Optional.empty());
    }
    return new Validation.Result(out, Optional.of(new Typed(order)));
  }

  // ------------------------------------------------------------ nodes and params

  private void checkNode(Node n) {
    Optional<OpSpec> spec = Ops.byName(n.op());
    if (spec.isEmpty()) {
      out.add(
          Diagnostic.error(
              "unknown-op",
              n.id(),
              n.op(),
              null,
              "unknown op '" + n.op() + "'" + suggest(n.op(), opNames())));
      broken.add(n.id());
      return;
    }
    OpSpec s = spec.get();
    specs.put(n.id(), s);
    Map<String, Object> canon = new LinkedHashMap<>();
    for (String k : n.params().keySet()) {
      if (s.param(k).isEmpty()) {
        error(
            "unknown-param",
            n,
            null,
            "unknown parameter '"
                + k
                + "'"
                + suggest(k, s.params().stream().map(ParamSpec::name).collect(Collectors.toList()))
                + "; "
                + n.op()
                + " takes "
                + (s.params().isEmpty()
                    ? "none"
                    : s.params().stream().map(ParamSpec::name).collect(Collectors.joining(", "))));
      }
    }
    for (ParamSpec p : s.params()) {
      Object raw = n.params().get(p.name());
      if (raw == null) {
        if (p.required()) {
          error(
              "missing-param",
              n,
              null,
              "parameter '"
                  + p.name()
                  + "': expected "
                  + p.type()
                  + " ("
                  + p.doc()
                  + "), got none");
          continue;
        }
        if (p.defaultValue().isEmpty()) {
          continue;
        }
        raw = p.defaultValue().get();
      }
      try {
        canon.put(p.name(), p.coerce(raw));
      } catch (IllegalArgumentException e) {
        error("bad-param", n, null, "parameter '" + p.name() + "': " + e.getMessage());
      }
    }
    params.put(n.id(), Collections.unmodifiableMap(canon));
    if (s.hasBody()) {
      if (n.body().isEmpty()) {
        error("missing-body", n, null, "expected a body sub-graph, got none");
        return;
      }
      checkBody(n, s, canon);
    } else {
      if (n.body().isPresent()) {
        error("unexpected-body", n, null, "only composite and loop nodes have a body");
      }
      List<String> ins = new ArrayList<>();
      for (var p : s.inputs()) {
        if (p.variadic()) {
          int count = 0;
          List<Edge> into = g.edgesInto(n.id());
          for (Edge e : into) {
            String port = e.to().port();
            if (port.startsWith(p.name() + ".")) {
              try {
                int index = Integer.parseInt(port.substring(p.name().length() + 1));
                // An index beyond the edge count cannot be part of a gap-free list; bounding it
                // keeps "arrays.2000000000" from expanding into billions of port names.
                if (index >= 0 && index < into.size()) {
                  count = Math.max(count, index + 1);
                }
              } catch (NumberFormatException ex) {
                // reported as an unknown port by checkEdges
              }
            }
          }
          for (int i = 0; i < count; i++) {
            ins.add(p.name() + "." + i);
          }
        } else {
          ins.add(p.name());
        }
      }
      inPorts.put(n.id(), ins);
      outPorts.put(n.id(), s.outputs().stream().map(p -> p.name()).collect(Collectors.toList()));
    }
  }

  private void checkBody(Node n, OpSpec s, Map<String, Object> canon) {
    Validation.Result r = validate(n.body().get());
    for (Diagnostic d : r.diagnostics()) {
      out.add(d.within(n.id()));
      if (d.isError()) {
        broken.add(n.id());
      }
    }
    Graph body = n.body().get();
    List<String> bodyIns = names(body.inputNodes());
    List<String> bodyOuts = names(body.outputNodes());
    if (s.kind().equals(new OpKind.Control(OpKind.ControlFn.LOOP))) {
      List<String> car = bodyIns.stream().filter(bodyOuts::contains).collect(Collectors.toList());
      carried.put(n.id(), car);
      Object until = canon.get("until");
      Object count = canon.get("count");
      if (until == null && count == null) {
        error("loop-bound", n, null, "expected parameter 'count' or 'until', got neither");
      }
      if (until != null && count != null) {
        error("loop-bound", n, null, "expected parameter 'count' or 'until', got both");
      }
      if (until != null && !bodyOuts.contains(until)) {
        error(
            "loop-until",
            n,
            null,
            "parameter 'until': expected the name of a body output "
                + bodyOuts
                + ", got \""
                + until
                + "\"");
      }
      if (car.isEmpty()) {
        error(
            "loop-carried",
            n,
            null,
            "expected at least one body input with a same-named body output (a carried value),"
                + " got inputs "
                + bodyIns
                + " and outputs "
                + bodyOuts);
      }
      for (String o : bodyOuts) {
        if (!bodyIns.contains(o) && !o.equals(until)) {
          error(
              "loop-output",
              n,
              null,
              "body output '"
                  + o
                  + "' is neither a carried value (no body input of that name)"
                  + " nor the 'until' condition");
        }
      }
      inPorts.put(n.id(), bodyIns);
      outPorts.put(n.id(), car);
      r.typed().ifPresent(t -> checkLoopTypes(n, t, car, until));
    } else {
      inPorts.put(n.id(), bodyIns);
      outPorts.put(n.id(), bodyOuts);
    }
    r.typed().ifPresent(t -> bodies.put(n.id(), t));
  }

  private void checkLoopTypes(Node n, TypedGraph t, List<String> car, Object until) {
    for (String c : car) {
      TensorType in = outputOf(t, t.inputNode(c).get());
      TensorType o = typeOfOutput(t, c);
      if (!compatible(in, o)) {
        error(
            "loop-type",
            n,
            c,
            "carried value '"
                + c
                + "': body output must keep the input's type: expected "
                + in
                + ", got "
                + o);
      }
    }
    if (until != null && t.graph().outputNodes().stream().anyMatch(o -> name(o).equals(until))) {
      TensorType u = typeOfOutput(t, (String) until);
      if (u.dtype() != DType.BOOL || u.shape().rank() != 0) {
        error("loop-until", n, (String) until, "the 'until' output: expected bool[], got " + u);
      }
    }
  }

  private static TensorType outputOf(TypedGraph t, Node inputNode) {
    return t.type(new PortRef(inputNode.id(), Ops.OUT));
  }

  private static TensorType typeOfOutput(TypedGraph t, String name) {
    Node o = t.graph().outputNodes().stream().filter(x -> name(x).equals(name)).findFirst().get();
    return t.inputType(o.id(), "x");
  }

  private static String name(Node n) {
    Object v = n.params().get("name");
    return v instanceof String ? (String) v : n.id();
  }

  private static List<String> names(List<Node> nodes) {
    return nodes.stream().map(Validator::name).collect(Collectors.toList());
  }

  private void checkNames() {
    for (String op : List.of("input", "output")) {
      Set<String> seen = new LinkedHashSet<>();
      for (Node n : g.nodes()) {
        if (n.op().equals(op) && n.params().get("name") instanceof String) {
          String nm = (String) n.params().get("name");
          if (!seen.add(nm)) {
            error("duplicate-name", n, null, "another " + op + " is also named '" + nm + "'");
          }
        }
      }
    }
  }

  // ------------------------------------------------------------ edges

  private void checkEdges() {
    Map<PortRef, Edge> fed = new LinkedHashMap<>();
    for (Edge e : g.edges()) {
      Optional<Node> from = g.node(e.from().node());
      Optional<Node> to = g.node(e.to().node());
      if (from.isEmpty() || to.isEmpty()) {
        String missing = from.isEmpty() ? e.from().node() : e.to().node();
        out.add(
            Diagnostic.error(
                "dangling-edge",
                to.map(Node::id).orElse(null),
                to.map(Node::op).orElse(null),
                to.isPresent() ? e.to().port() : null,
                "edge " + e + ": expected an existing node, got no node '" + missing + "'"));
        to.ifPresent(n -> broken.add(n.id()));
        continue;
      }
      boolean ok = true;
      List<String> outs = outPorts.get(from.get().id());
      if (outs != null && !outs.contains(e.from().port())) {
        error(
            "unknown-port",
            from.get(),
            e.from().port(),
            "edge " + e + ": expected an output port " + outs + ", got '" + e.from().port() + "'");
        ok = false;
      }
      List<String> ins = inPorts.get(to.get().id());
      if (ins != null && !ins.contains(e.to().port())) {
        error(
            "unknown-port",
            to.get(),
            e.to().port(),
            "edge " + e + ": expected an input port " + ins + ", got '" + e.to().port() + "'");
        ok = false;
      }
      if (!ok) {
        continue;
      }
      Edge prev = fed.put(e.to(), e);
      if (prev != null) {
        error(
            "double-feed",
            to.get(),
            e.to().port(),
            "expected one incoming edge, got two: " + prev.from() + " and " + e.from());
      } else {
        sources.put(e.to(), e.from());
      }
    }
    for (Node n : g.nodes()) {
      List<String> ins = inPorts.get(n.id());
      if (ins == null) {
        continue;
      }
      for (String p : ins) {
        if (!fed.containsKey(new PortRef(n.id(), p))) {
          error("missing-input", n, p, "expected an incoming edge, got none");
        }
      }
      OpSpec s = specs.get(n.id());
      if (s != null) {
        for (var p : s.inputs()) {
          if (p.variadic() && ins.stream().noneMatch(x -> x.startsWith(p.name() + "."))) {
            error(
                "missing-input",
                n,
                p.name(),
                "expected at least one edge into " + p.name() + ".0, got none");
          }
        }
      }
    }
  }

  // ------------------------------------------------------------ order

  private List<Node> topologicalOrder(List<Node> nodes) {
    DefaultDirectedGraph<String, DefaultEdge> dg = new DefaultDirectedGraph<>(DefaultEdge.class);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (Node n : nodes) {
      dg.addVertex(n.id());
      index.put(n.id(), index.size());
    }
    for (Map.Entry<PortRef, PortRef> e : sources.entrySet()) {
      String a = e.getValue().node();
      String b = e.getKey().node();
      if (dg.containsVertex(a) && dg.containsVertex(b)) {
        if (a.equals(b)) {
          Node n = g.node(a).get();
          error(
              "cycle",
              n,
              e.getKey().port(),
              "the node feeds itself: " + e.getValue() + " -> " + e.getKey());
          return null;
        }
        dg.addEdge(a, b);
      }
    }
    CycleDetector<String, DefaultEdge> cd = new CycleDetector<>(dg);
    if (cd.detectCycles()) {
      Set<String> cyc = new TreeSet<>((x, y) -> index.get(x) - index.get(y));
      cyc.addAll(cd.findCycles());
      Node first = g.node(cyc.iterator().next()).get();
      error(
          "cycle",
          first,
          null,
          "expected an acyclic graph, got a cycle through nodes " + String.join(", ", cyc));
      return null;
    }
    // Kahn's algorithm, smallest document index first, for a deterministic order.
    Map<String, Integer> indeg = new LinkedHashMap<>();
    for (String v : dg.vertexSet()) {
      indeg.put(v, dg.inDegreeOf(v));
    }
    PriorityQueue<String> ready = new PriorityQueue<>((x, y) -> index.get(x) - index.get(y));
    indeg.forEach(
        (v, d) -> {
          if (d == 0) {
            ready.add(v);
          }
        });
    List<Node> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String v = ready.poll();
      order.add(g.node(v).get());
      for (DefaultEdge e : dg.outgoingEdgesOf(v)) {
        String w = dg.getEdgeTarget(e);
        if (indeg.merge(w, -1, Integer::sum) == 0) {
          ready.add(w);
        }
      }
    }
    return order;
  }

  // ------------------------------------------------------------ types

  private void inferNode(Node n) {
    OpSpec s = specs.get(n.id());
    if (s == null || !params.containsKey(n.id())) {
      return;
    }
    Map<String, TensorType> ins = new LinkedHashMap<>();
    for (String p : inPorts.getOrDefault(n.id(), List.of())) {
      PortRef src = sources.get(new PortRef(n.id(), p));
      TensorType t = src == null ? null : types.get(src);
      if (t == null) {
        return; // upstream problem already reported
      }
      ins.put(p, t);
    }
    if (broken.contains(n.id())) {
      return;
    }
    if (s.hasBody()) {
      TypedGraph body = bodies.get(n.id());
      if (body == null) {
        return;
      }
      for (String p : inPorts.get(n.id())) {
        TensorType want = outputOf(body, body.inputNode(p).get());
        TensorType got = ins.get(p);
        if (!compatible(want, got)) {
          error("type", n, p, "expected " + want + ", got " + got);
        }
      }
      for (String o : outPorts.get(n.id())) {
        types.put(new PortRef(n.id(), o), typeOfOutput(body, o));
      }
      return;
    }
    try {
      List<TensorType> res = s.infer(params.get(n.id()), ins);
      List<String> outs = outPorts.get(n.id());
      for (int i = 0; i < outs.size(); i++) {
        types.put(new PortRef(n.id(), outs.get(i)), res.get(i));
      }
    } catch (OpTypeException e) {
      error("type", n, e.port().orElse(null), e.getMessage());
    } catch (ArithmeticException | IllegalArgumentException e) {
      error("type", n, null, e.getMessage());
    }
  }

  /** True when a value of type {@code got} may flow where {@code want} is declared. */
  static boolean compatible(TensorType want, TensorType got) {
    if (want.dtype() != got.dtype() || want.shape().rank() != got.shape().rank()) {
      return false;
    }
    for (int i = 0; i < want.shape().rank(); i++) {
      long a = want.shape().dim(i);
      long b = got.shape().dim(i);
      if (a != b && a != Shape.UNKNOWN && b != Shape.UNKNOWN) {
        return false;
      }
    }
    return true;
  }

  private static List<String> opNames() {
    return Ops.all().stream().map(OpSpec::name).collect(Collectors.toList());
  }

  /** A "; did you mean 'x'?" suffix for the closest name within edit distance 2. */
  static String suggest(String given, List<String> names) {
    return org.jetlag.graph.Names.closest(given, names)
        .map(n -> "; did you mean '" + n + "'?")
        .orElse("");
  }

  // ------------------------------------------------------------ result

  private final class Typed implements TypedGraph {
    private final List<Node> order;
    private final Map<PortRef, List<PortRef>> consumers = new LinkedHashMap<>();

    Typed(List<Node> order) {
      this.order = List.copyOf(order);
      for (Edge e : g.edges()) {
        consumers.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
      }
    }

    @Override
    public Graph graph() {
      return g;
    }

    @Override
    public List<Node> order() {
      return order;
    }

    @Override
    public OpSpec spec(String nodeId) {
      return get(specs, nodeId);
    }

    @Override
    public Map<String, Object> params(String nodeId) {
      return get(params, nodeId);
    }

    @Override
    public List<String> inputPorts(String nodeId) {
      return List.copyOf(get(inPorts, nodeId));
    }

    @Override
    public List<String> outputPorts(String nodeId) {
      return List.copyOf(get(outPorts, nodeId));
    }

    @Override
    public TensorType type(PortRef output) {
      return get(types, output);
    }

    @Override
    public PortRef source(String nodeId, String port) {
      return get(sources, new PortRef(nodeId, port));
    }

    @Override
    public List<PortRef> consumers(PortRef output) {
      return List.copyOf(consumers.getOrDefault(output, List.of()));
    }

    @Override
    public TypedGraph body(String nodeId) {
      return get(bodies, nodeId);
    }

    @Override
    public List<String> carried(String nodeId) {
      return List.copyOf(carried.getOrDefault(nodeId, List.of()));
    }

    @Override
    public Optional<Node> inputNode(String name) {
      return g.inputNodes().stream().filter(n -> name(n).equals(name)).findFirst();
    }

    @Override
    public List<Diagnostic> warnings() {
      return out.stream().filter(d -> !d.isError()).collect(Collectors.toList());
    }

    private <K, V> V get(Map<K, V> m, K k) {
      V v = m.get(k);
      if (v == null) {
        throw new IllegalArgumentException("no such node or port in graph " + g.name() + ": " + k);
      }
      return v;
    }
  }
}
