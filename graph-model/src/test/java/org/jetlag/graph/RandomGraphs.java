package org.jetlag.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;
import org.jetlag.graph.ops.ParamSpec;
import org.jetlag.graph.ops.PortSpec;

/**
 * Seeded random graphs drawn from the op catalogue: mostly plausible (so that a good share
 * validate), sometimes broken on purpose (junk parameters, dangling or doubled edges, unknown ops
 * and ports, cycles, duplicate ids). Every graph is representable in JSON.
 */
public final class RandomGraphs {
  private static final String[] DTYPES = {"float64", "float32", "int64", "int32", "bool"};
  private static final List<OpSpec> OPS = Ops.all();

  private final Random rnd;
  private final double breakage;
  private final List<Node> extra = new ArrayList<>();

  private RandomGraphs(long seed, double breakage) {
    this.rnd = new Random(seed);
    this.breakage = breakage;
  }

  /** The graph for a seed; the same seed always gives the same graph. */
  public static Graph generate(long seed) {
    RandomGraphs r = new RandomGraphs(seed, seed % 3 == 0 ? 0.0 : 0.08);
    Graph g = r.graph(0, "random-" + seed);
    // the constants that feed control nodes go first, so document order stays topological
    List<Node> all = new ArrayList<>(r.extra);
    all.addAll(g.nodes());
    return g.with(all, g.edges());
  }

  private boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  private boolean broken() {
    return chance(breakage);
  }

  private <T> T pick(List<T> l) {
    return l.get(rnd.nextInt(l.size()));
  }

  private Graph graph(int depth, String name) {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    List<PortRef> outs = new ArrayList<>();
    // a shared row shape keeps a good share of elementwise combinations valid
    long cols = 1 + rnd.nextInt(4);
    String dtype = chance(0.7) ? "float64" : DTYPES[rnd.nextInt(DTYPES.length)];
    int nInputs = 1 + rnd.nextInt(3);
    for (int i = 0; i < nInputs; i++) {
      List<Object> shape =
          chance(0.5)
              ? Arrays.asList(chance(0.3) ? null : (Object) 3L, cols)
              : new ArrayList<>(List.of(cols));
      Node in =
          Node.of(
              "in" + i,
              "input",
              params("name", "in" + i, "dtype", chance(0.8) ? dtype : pickDType(), "shape", shape));
      nodes.add(position(in));
      outs.add(new PortRef(in.id(), "out"));
    }
    int nOps = 1 + rnd.nextInt(depth == 0 ? 8 : 3);
    for (int i = 0; i < nOps; i++) {
      String id = broken() && !nodes.isEmpty() ? pick(nodes).id() : "n" + i;
      OpSpec spec = pickOp(depth);
      if (spec.hasBody()) {
        Node n = controlNode(id, spec, depth, outs, edges);
        nodes.add(position(n));
        continue;
      }
      String op = broken() ? spec.name() + "x" : spec.name();
      Map<String, Object> ps = new LinkedHashMap<>();
      for (ParamSpec p : spec.params()) {
        if (p.required() || chance(0.4)) {
          ps.put(p.name(), broken() ? junk() : value(p));
        }
      }
      if (broken()) {
        ps.put("bogus", 1L);
      }
      Node n = Node.of(id, op, ps);
      nodes.add(position(n));
      for (PortSpec port : spec.inputs()) {
        int count = port.variadic() ? 1 + rnd.nextInt(3) : 1;
        for (int k = 0; k < count; k++) {
          if (broken()) {
            continue; // missing input
          }
          String portName = port.variadic() ? port.name() + "." + k : port.name();
          if (broken()) {
            portName = portName + "_";
          }
          edges.add(new Edge(source(outs), new PortRef(id, portName)));
          if (broken()) {
            edges.add(new Edge(source(outs), new PortRef(id, portName)));
          }
        }
      }
      for (PortSpec o : spec.outputs()) {
        outs.add(new PortRef(id, o.name()));
      }
    }
    int nOut = 1 + rnd.nextInt(2);
    for (int i = 0; i < nOut; i++) {
      Node o = Node.of("out" + i, "output", params("name", "out" + i));
      nodes.add(position(o));
      edges.add(new Edge(source(outs), new PortRef(o.id(), "x")));
    }
    if (broken() && nodes.size() > 2) {
      // a back edge: from a late node into the first op's first port, possibly a cycle
      Node late = nodes.get(nodes.size() - 2);
      edges.add(new Edge(new PortRef(late.id(), "out"), new PortRef("n0", "x")));
    }
    return Graph.of(name, chance(0.3) ? "seeded " + name : "", nodes, edges);
  }

  private Node controlNode(
      String id, OpSpec spec, int depth, List<PortRef> outs, List<Edge> edges) {
    boolean loop = spec.name().equals("loop");
    // a body in the canonical shape: carried value v (+ fixed f), elementwise update
    String dt = chance(0.5) ? "float64" : "float32";
    long n = 1 + rnd.nextInt(3);
    List<Node> bn = new ArrayList<>();
    List<Edge> be = new ArrayList<>();
    bn.add(Node.of("v", "input", params("name", "v", "dtype", dt, "shape", List.of(n))));
    bn.add(Node.of("f", "input", params("name", "f", "dtype", dt, "shape", List.of(n))));
    String op = pick(List.of("add", "mul", "sub", "maximum"));
    bn.add(Node.of("u", op, params()));
    bn.add(Node.of("out_v", "output", params("name", "v")));
    be.add(Edge.of("v:out", "u:a"));
    be.add(Edge.of("f:out", "u:b"));
    be.add(Edge.of("u:out", "out_v:x"));
    if (broken()) {
      bn.add(Node.of("w", "astype", params("dtype", "int32")));
      be.set(2, Edge.of("w:out", "out_v:x"));
      be.add(Edge.of("u:out", "w:x"));
    }
    Graph body = Graph.of("body", "", bn, be);
    Map<String, Object> ps = new LinkedHashMap<>();
    if (loop) {
      if (broken()) {
        ps.put("until", "v");
      } else {
        ps.put("count", (long) rnd.nextInt(5));
      }
    } else {
      ps.put("label", "block");
    }
    // feed v and f from fresh constants of the right type, so the node can validate
    for (String p : List.of("v", "f")) {
      String cid = id + "_" + p;
      List<Object> vals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        vals.add((double) rnd.nextInt(9));
      }
      extra.add(Node.of(cid, "constant", params("value", vals, "dtype", dt)));
      edges.add(new Edge(new PortRef(cid, "out"), new PortRef(id, p)));
    }
    outs.add(new PortRef(id, "v"));
    return new Node(id, spec.name(), ps, Optional.of(body), Optional.empty());
  }

  private Node position(Node n) {
    return chance(0.5) ? n.withPosition(new Position(rnd.nextInt(800), rnd.nextInt(600) + 0.5)) : n;
  }

  private PortRef source(List<PortRef> outs) {
    if (broken()) {
      return new PortRef("ghost", "out");
    }
    // prefer recent outputs, as a pipeline does
    int i = outs.size() - 1 - Math.min(outs.size() - 1, (int) Math.abs(rnd.nextGaussian() * 2));
    return outs.get(i);
  }

  private OpSpec pickOp(int depth) {
    while (true) {
      OpSpec s = pick(OPS);
      if (s.name().equals("input") || s.name().equals("output")) {
        continue;
      }
      if (s.hasBody() && depth > 0) {
        continue;
      }
      // favour elementwise ops, which combine the shared shapes validly
      if (!s.kind().isElementwise() && !s.hasBody() && chance(0.5)) {
        continue;
      }
      return s;
    }
  }

  private String pickDType() {
    return DTYPES[rnd.nextInt(DTYPES.length)];
  }

  private Object value(ParamSpec p) {
    switch (p.type()) {
      case INT:
        return (long) rnd.nextInt(4) - 1;
      case FLOAT:
        return chance(0.5) ? (Object) (long) rnd.nextInt(10) : (Object) (rnd.nextInt(100) / 4.0);
      case BOOL:
        return rnd.nextBoolean();
      case STRING:
        return p.choices().isEmpty() ? pick(List.of("x", "data.arrow", "done")) : pick(p.choices());
      case DTYPE:
        return pickDType();
      case SHAPE:
        {
          List<Object> l = new ArrayList<>();
          int r = rnd.nextInt(3);
          for (int i = 0; i < r; i++) {
            l.add((long) 1 + rnd.nextInt(4));
          }
          return l;
        }
      case INT_LIST:
        {
          List<Object> l = new ArrayList<>();
          int r = rnd.nextInt(3);
          for (int i = 0; i < r; i++) {
            l.add((long) rnd.nextInt(4) - 1);
          }
          return l;
        }
      case TENSOR:
        {
          if (chance(0.3)) {
            return (double) rnd.nextInt(5);
          }
          List<Object> l = new ArrayList<>();
          int n = 1 + rnd.nextInt(3);
          for (int i = 0; i < n; i++) {
            l.add((long) rnd.nextInt(5));
          }
          return l;
        }
    }
    throw new IllegalStateException();
  }

  private Object junk() {
    switch (rnd.nextInt(8)) {
      case 0:
        return "?";
      case 1:
        return Arrays.asList(1L, null, "a");
      case 2:
        return Long.MAX_VALUE;
      case 3:
        return Long.MIN_VALUE;
      case 4:
        return List.of(List.of(1L), List.of(1L, 2L));
      case 5:
        return -1e300;
      case 6:
        return List.of(1L, 1L, 1L, 1L, 1L, 1L);
      default:
        return true;
    }
  }

  private static Map<String, Object> params(Object... kv) {
    return TestGraphs.params(kv);
  }
}
