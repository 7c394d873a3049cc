package org.jetlag.graph.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;

/**
 * Builds a loop node: declare carried and fixed values, compute the next carried values in the
 * body, then {@link #end()} to get the final values in the outer graph.
 *
 * <pre>{@code
 * Loop loop = g.loop(100);
 * Tensor w = loop.carry("w", w0);
 * Tensor x = loop.fixed("X", xs);
 * loop.update("w", w.sub(x.T().matmul(x.matmul(w).sub(y)).mul(0.01)));
 * Tensor wFinal = loop.end().get("w");
 * }</pre>
 */
public final class Loop {
  private final GraphBuilder outer;
  private final GraphBuilder body;
  private final Optional<Long> count;
  private final Optional<String> until;
  private final long maxIterations;
  private final Map<String, Tensor> initial = new LinkedHashMap<>();
  private final Map<String, Tensor> updates = new LinkedHashMap<>();
  private final List<String> carriedNames = new ArrayList<>();
  private Tensor condition;

  Loop(GraphBuilder outer, Optional<Long> count, Optional<String> until, long maxIterations) {
    this.outer = outer;
    this.body = GraphBuilder.create("body");
    this.count = count;
    this.until = until;
    this.maxIterations = maxIterations;
  }

  /** The body's builder, for creation ops inside the loop. */
  public GraphBuilder body() {
    return body;
  }

  /** A value carried from one iteration to the next, starting at {@code init}. */
  public Tensor carry(String name, Tensor init) {
    outer.requireOwn(init);
    carriedNames.add(name);
    initial.put(name, init);
    return body.input(name, type(init).dtype(), type(init).shape());
  }

  /** A value from the outer graph that stays the same in every iteration. */
  public Tensor fixed(String name, Tensor value) {
    outer.requireOwn(value);
    initial.put(name, value);
    return body.input(name, type(value).dtype(), type(value).shape());
  }

  /** Sets the next value of a carried value. */
  public Loop update(String name, Tensor next) {
    if (!carriedNames.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a carried value: " + carriedNames);
    }
    updates.put(name, next);
    return this;
  }

  /**
   * Sets the bool scalar that stops an {@code until} loop when true. Not needed when the flag is
   * itself a carried value: its update is the condition.
   */
  public Loop stopWhen(Tensor cond) {
    this.condition = cond;
    return this;
  }

  /** Adds the loop node to the outer graph and returns the final carried values by name. */
  public Map<String, Tensor> end() {
    for (String c : carriedNames) {
      body.output(c, updates.getOrDefault(c, null) == null ? missing(c) : updates.get(c));
    }
    if (until.isPresent() && !carriedNames.contains(until.get())) {
      // a carried flag is its own condition (its update); otherwise stopWhen gives it
      if (condition == null) {
        throw new IllegalStateException("an until loop needs stopWhen(cond)");
      }
      body.output(until.get(), condition);
    }
    Map<String, Object> params = new LinkedHashMap<>();
    count.ifPresent(c -> params.put("count", c));
    until.ifPresent(
        u -> {
          params.put("until", u);
          params.put("max_iterations", maxIterations);
        });
    String id = outer.freshId("loop");
    outer.addNode(new Node(id, "loop", params, Optional.of(body.build()), Optional.empty()));
    for (Map.Entry<String, Tensor> e : initial.entrySet()) {
      outer.addEdge(new Edge(e.getValue().ref(), new PortRef(id, e.getKey())));
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String c : carriedNames) {
      out.put(c, new Tensor(outer, new PortRef(id, c), initial.get(c).type()));
    }
    return out;
  }

  private Tensor missing(String c) {
    throw new IllegalStateException("carried value '" + c + "' has no update(...)");
  }

  private static TensorType type(Tensor t) {
    return t.type()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the type of " + t.ref() + " is unknown; check() the graph for the problem"));
  }
}
