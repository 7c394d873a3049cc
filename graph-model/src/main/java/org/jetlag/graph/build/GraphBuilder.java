package org.jetlag.graph.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetlag.graph.DType;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;

/**
 * Builds graphs in Java with calls that read like NumPy, and works from JShell.
 *
 * <pre>{@code
 * GraphBuilder g = GraphBuilder.create("predict");
 * Tensor x = g.input("X", DType.FLOAT64, Shape.of(Shape.UNKNOWN, 10));
 * Tensor w = g.input("w", DType.FLOAT64, Shape.of(10));
 * g.output("p", x.matmul(w).add(0.5).sigmoid());
 * Graph graph = g.build();
 * }</pre>
 *
 * <p>Node ids are the op name and a counter ({@code matmul_3}); inputs use their name. Types are
 * inferred as nodes are added ({@link Tensor#type()}); problems are reported all at once by {@link
 * #check()}. Not thread-safe.
 */
public final class GraphBuilder {
  private final String name;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Edge> edges = new ArrayList<>();
  private final Map<String, Integer> counters = new LinkedHashMap<>();
  private String description = "";

  private GraphBuilder(String name) {
    this.name = name;
  }

  /** A builder for a graph of that name. */
  public static GraphBuilder create(String name) {
    return new GraphBuilder(name);
  }

  /** Sets the graph's description. */
  public GraphBuilder description(String text) {
    this.description = text;
    return this;
  }

  /** The graph built so far (not validated). */
  public Graph build() {
    return Graph.of(name, description, nodes, edges);
  }

  /**
   * The graph built so far, validated.
   *
   * @throws org.jetlag.graph.ValidationException listing every problem
   */
  public TypedGraph check() {
    return Validation.check(build());
  }

  // ------------------------------------------------------------------ graph boundary

  /** A named graph input. */
  public Tensor input(String inputName, DType dtype, Shape shape) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", inputName);
    p.put("dtype", dtype.wireName());
    List<Object> dims = new ArrayList<>();
    for (long d : shape.toArray()) {
      dims.add(d == Shape.UNKNOWN ? null : d);
    }
    p.put("shape", dims);
    String id = validId(inputName) && !counters.containsKey(inputName) ? inputName : null;
    return add("input", id, p, List.of()).get(0);
  }

  /** Marks a tensor as a named graph output. */
  public void output(String outputName, Tensor t) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", outputName);
    String id = "out_" + outputName;
    add("output", validId(id) && !counters.containsKey(id) ? id : null, p, List.of(port("x", t)));
  }

  // ------------------------------------------------------------------ creation

  /** A float64 scalar constant. */
  public Tensor scalar(double v) {
    return constant(DType.FLOAT64, v);
  }

  /** A scalar constant of a dtype. */
  public Tensor constant(DType dtype, double v) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("value", v);
    p.put("dtype", dtype.wireName());
    return op("constant", p);
  }

  /** A 1-D float64 constant. */
  public Tensor vector(double... values) {
    List<Object> l = new ArrayList<>();
    for (double v : values) {
      l.add(v);
    }
    return op("constant", params("value", l));
  }

  /** Zeros of a shape (float64). */
  public Tensor zeros(long... dims) {
    return op("zeros", params("shape", dims(dims)));
  }

  /** Ones of a shape (float64). */
  public Tensor ones(long... dims) {
    return op("ones", params("shape", dims(dims)));
  }

  /** A value repeated over a shape (float64). */
  public Tensor full(double value, long... dims) {
    return op("full", params("shape", dims(dims), "fill_value", value));
  }

  /** {@code numpy.arange(start, stop, step)}. */
  public Tensor arange(double start, double stop, double step) {
    return op("arange", params("start", start, "stop", stop, "step", step));
  }

  /** {@code numpy.linspace(start, stop, num)}. */
  public Tensor linspace(double start, double stop, long num) {
    return op("linspace", params("start", start, "stop", stop, "num", num));
  }

  /** The n×n identity matrix. */
  public Tensor eye(long n) {
    return op("eye", params("n", n));
  }

  /** Seeded uniform random values in [0, 1). */
  public Tensor randomUniform(long seed, long... dims) {
    return op("random_uniform", params("shape", dims(dims), "seed", seed));
  }

  /** Seeded standard normal random values. */
  public Tensor randomNormal(long seed, long... dims) {
    return op("random_normal", params("shape", dims(dims), "seed", seed));
  }

  /** Reads an Arrow IPC file of a declared type. */
  public Tensor readArrow(String path, DType dtype, Shape shape) {
    return op("read_arrow", params("path", path, "dtype", dtype.wireName(), "shape", dims(shape)));
  }

  // ------------------------------------------------------------------ combining

  /** {@code numpy.where(cond, a, b)}. */
  public Tensor where(Tensor cond, Tensor a, Tensor b) {
    return add("where", null, Map.of(), List.of(port("cond", cond), port("a", a), port("b", b)))
        .get(0);
  }

  /** {@code numpy.concatenate(arrays, axis)}. */
  public Tensor concat(long axis, Tensor... arrays) {
    return variadic("concat", axis, arrays);
  }

  /** {@code numpy.stack(arrays, axis)}. */
  public Tensor stack(long axis, Tensor... arrays) {
    return variadic("stack", axis, arrays);
  }

  private Tensor variadic(String op, long axis, Tensor... arrays) {
    List<Map.Entry<String, Tensor>> in = new ArrayList<>();
    for (int i = 0; i < arrays.length; i++) {
      in.add(port("arrays." + i, arrays[i]));
    }
    return add(op, null, params("axis", axis), in).get(0);
  }

  /**
   * Starts a loop whose body is built with the returned {@link Loop}.
   *
   * @param count the fixed number of iterations
   */
  public Loop loop(long count) {
    return new Loop(this, Optional.of(count), Optional.empty(), 0);
  }

  /** Starts a loop that runs until a bool body output named {@code until} is true. */
  public Loop loopUntil(String until, long maxIterations) {
    return new Loop(this, Optional.empty(), Optional.of(until), maxIterations);
  }

  // ------------------------------------------------------------------ generic

  /** Adds any catalogue op with one output, parameters given raw, inputs on named ports. */
  public Tensor op(String op, Map<String, Object> params, Map<String, Tensor> inputs) {
    List<Map.Entry<String, Tensor>> in = new ArrayList<>(inputs.entrySet());
    return add(op, null, params, in).get(0);
  }

  Tensor op(String op, Map<String, Object> params) {
    return add(op, null, params, List.of()).get(0);
  }

  Tensor unary(String op, Tensor x, Map<String, Object> params) {
    return add(op, null, params, List.of(port("x", x))).get(0);
  }

  Tensor binary(String op, Tensor a, Tensor b) {
    return add(op, null, Map.of(), List.of(port("a", a), port("b", b))).get(0);
  }

  /** A scalar constant shaped to combine with {@code like} as NumPy treats Python scalars. */
  Tensor scalarLike(Tensor like, double v) {
    DType dt =
        like.type()
            .map(TensorType::dtype)
            .map(d -> d.isFloating() || (d.isInteger() && v == Math.rint(v)) ? d : DType.FLOAT64)
            .orElse(DType.FLOAT64);
    return constant(dt, v);
  }

  List<Tensor> add(
      String op,
      String requestedId,
      Map<String, Object> params,
      List<Map.Entry<String, Tensor>> in) {
    OpSpec spec = Ops.get(op);
    String id = requestedId != null ? requestedId : freshId(op);
    for (Map.Entry<String, Tensor> e : in) {
      // Checked before anything is added, so a refused call leaves the builder unchanged.
      requireOwn(e.getValue());
    }
    counters.putIfAbsent(id, 0);
    Map<String, TensorType> types = new LinkedHashMap<>();
    boolean typed = true;
    for (Map.Entry<String, Tensor> e : in) {
      Tensor t = e.getValue();
      edges.add(new Edge(t.ref(), new PortRef(id, e.getKey())));
      if (t.type().isPresent()) {
        types.put(e.getKey(), t.type().get());
      } else {
        typed = false;
      }
    }
    nodes.add(Node.of(id, op, params));
    List<TensorType> outTypes = List.of();
    if (typed) {
      try {
        outTypes = spec.infer(spec.canonicalParams(params), types);
      } catch (RuntimeException e) {
        outTypes = List.of(); // reported by check()
      }
    }
    List<Tensor> outs = new ArrayList<>();
    for (int i = 0; i < spec.outputs().size(); i++) {
      outs.add(
          new Tensor(
              this,
              new PortRef(id, spec.outputs().get(i).name()),
              i < outTypes.size() ? Optional.of(outTypes.get(i)) : Optional.empty()));
    }
    return outs;
  }

  void requireOwn(Tensor t) {
    if (t.builder() != this) {
      throw new IllegalArgumentException(
          "tensor "
              + t.ref()
              + " belongs to another graph (a loop body and its outer graph are separate:"
              + " bring outer values in with Loop.fixed or Loop.carry)");
    }
  }

  void addNode(Node n) {
    nodes.add(n);
    counters.putIfAbsent(n.id(), 0);
  }

  void addEdge(Edge e) {
    edges.add(e);
  }

  String freshId(String base) {
    int n = counters.merge("#" + base, 1, Integer::sum);
    String id = base + "_" + n;
    while (counters.containsKey(id)) {
      n = counters.merge("#" + base, 1, Integer::sum);
      id = base + "_" + n;
    }
    return id;
  }

  static Map.Entry<String, Tensor> port(String p, Tensor t) {
    return Map.entry(p, t);
  }

  static Map<String, Object> params(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static List<Object> dims(long... d) {
    List<Object> l = new ArrayList<>();
    for (long x : d) {
      l.add(x == Shape.UNKNOWN ? null : x);
    }
    return l;
  }

  static List<Object> dims(Shape s) {
    return dims(s.toArray());
  }

  private static boolean validId(String s) {
    return s.matches("[A-Za-z_][A-Za-z0-9_.\\-]*");
  }
}
