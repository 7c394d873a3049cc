package org.jetlag.runner.local.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.runner.plan.Hoist;
import org.jetlag.runner.plan.Planner;

/**
 * Runs composite and loop bodies. A loop runs one iteration at a time: the body is wired anew for
 * each iteration with the carried values of the previous one, so an {@code until} condition can
 * stop it. Body nodes are profiled under {@code loopId/nodeId}.
 */
final class Loops {
  private Loops() {}

  /**
   * Wires the node and returns its output values; their chunks complete when the body (or the last
   * iteration) has produced them. Each input value holds one reference for this node.
   */
  static Map<String, Value> wire(GraphExec x, Node n, OpKind.ControlFn fn, Map<String, Value> ins) {
    TypedGraph body = x.g.body(n.id());
    String prefix = x.path(n) + "/";
    Map<String, TensorType> inTypes = new LinkedHashMap<>();
    ins.forEach((k, v) -> inTypes.put(k, v.type()));
    Map<PortRef, TensorType> types = Planner.types(body, inTypes, x.baseDir, prefix, t -> {});
    CompletableFuture<Map<String, Value>> done;
    if (fn == OpKind.ControlFn.COMPOSITE) {
      long t0 = System.nanoTime();
      int kind = x.ctx.containerKind(x.path(n), n.op());
      done =
          iteration(x, body, prefix, types, ins, List.of())
              .thenApply(
                  m -> {
                    x.ctx.recorder.recordIteration(kind, 0, t0, System.nanoTime());
                    return m;
                  });
      x.ctx.stats(x.path(n), n.op()).record(0, 0);
    } else {
      List<String> carried = x.g.carried(n.id());
      Map<String, Object> params = x.g.params(n.id());
      long count = params.containsKey("count") ? (Long) params.get("count") : -1;
      String until = (String) params.get("until");
      long max = (Long) params.get("max_iterations");
      Map<String, Value> fixed = new LinkedHashMap<>();
      Map<String, Value> state = new LinkedHashMap<>();
      ins.forEach((k, v) -> (carried.contains(k) ? state : fixed).put(k, v));
      Optional<Hoist> hoist = count == 0 ? Optional.empty() : Hoist.plan(body, types, carried);
      if (hoist.isPresent()) {
        done = hoisted(x, n, hoist.get(), prefix, inTypes, state, fixed, count, until, max);
      } else {
        done = iterate(x, n, body, prefix, types, state, fixed, 0, count, until, max);
      }
      CompletableFuture<Void> fixedDone =
          done.thenCompose(m -> all(fixed.values()))
              .thenRun(() -> fixed.values().forEach(GraphExec::releaseAll));
      x.ctx.track(fixedDone);
    }
    // Hand each output to its consumers: one reference per consuming edge.
    CompletableFuture<Map<String, Value>> handed =
        done.thenCompose(m -> all(m.values()).thenApply(v -> m))
            .thenApply(
                m -> {
                  for (Map.Entry<String, Value> e : m.entrySet()) {
                    int uses = x.uses(new PortRef(n.id(), e.getKey()));
                    GraphExec.retainAll(e.getValue(), uses);
                    GraphExec.releaseAll(e.getValue());
                  }
                  return m;
                });
    x.ctx.track(handed);
    Map<String, Value> outs = new LinkedHashMap<>();
    for (String o : x.g.outputPorts(n.id())) {
      TensorType t = types(x, n, o);
      Partition p = x.partitionOf(t.shape());
      List<CompletableFuture<Ref>> chunks = new ArrayList<>();
      for (int i = 0; i < p.count(); i++) {
        int ci = i;
        chunks.add(handed.thenApply(m -> m.get(o).chunks().get(ci).join()));
      }
      outs.put(o, new Value(t, p, chunks));
    }
    return outs;
  }

  private static TensorType types(GraphExec x, Node n, String port) {
    return x.types.get(new PortRef(n.id(), port));
  }

  /**
   * Computes the loop-invariant part once, then iterates the rest of the body with the hoisted
   * values as extra fixed inputs (released, with the other fixed inputs, when the loop ends).
   */
  private static CompletableFuture<Map<String, Value>> hoisted(
      GraphExec x,
      Node n,
      Hoist h,
      String prefix,
      Map<String, TensorType> inTypes,
      Map<String, Value> state,
      Map<String, Value> fixed,
      long count,
      String until,
      long max) {
    Map<String, Value> preIns = new LinkedHashMap<>();
    for (Node in : h.pre().graph().inputNodes()) {
      String name = (String) h.pre().params(in.id()).get("name");
      preIns.put(name, fixed.get(name));
    }
    Map<String, TensorType> preTypes = new LinkedHashMap<>();
    preIns.forEach((k, v) -> preTypes.put(k, v.type()));
    Map<PortRef, TensorType> pt = Planner.types(h.pre(), preTypes, x.baseDir, prefix, t -> {});
    int kind = x.ctx.containerKind(x.path(n), n.op());
    long t0 = System.nanoTime();
    CompletableFuture<Map<String, Value>> pre =
        ready(preIns)
            .thenComposeAsync(
                v -> {
                  x.ctx.checkRunning();
                  GraphExec px = new GraphExec(x.ctx, h.pre(), prefix, x.baseDir, pt);
                  for (Map.Entry<String, Value> e : preIns.entrySet()) {
                    GraphExec.retainAll(e.getValue(), px.inputUses(e.getKey()));
                  }
                  return px.run(preIns);
                },
                x.ctx.executor)
            .thenApply(
                m -> {
                  // the invariant part is "iteration -1" on the loop's lane
                  x.ctx.recorder.recordIteration(kind, -1, t0, System.nanoTime());
                  return m;
                });
    x.ctx.track(pre);
    CompletableFuture<Map<String, Value>> done =
        pre.thenComposeAsync(
            hv -> {
              x.ctx.checkRunning();
              fixed.putAll(hv); // each hoisted value holds one reference, for the whole loop
              Map<String, TensorType> bodyTypes = new LinkedHashMap<>(inTypes);
              hv.forEach((k, v) -> bodyTypes.put(k, v.type()));
              Map<PortRef, TensorType> bt =
                  Planner.types(h.body(), bodyTypes, x.baseDir, prefix, t -> {});
              return iterate(x, n, h.body(), prefix, bt, state, fixed, 0, count, until, max);
            },
            x.ctx.executor);
    x.ctx.track(done);
    return done;
  }

  private static CompletableFuture<Void> ready(Map<String, Value> vs) {
    return all(vs.values());
  }

  private static CompletableFuture<Void> all(java.util.Collection<Value> vs) {
    return CompletableFuture.allOf(
        vs.stream().map(Value::all).toArray(CompletableFuture<?>[]::new));
  }

  private static CompletableFuture<Map<String, Value>> iterate(
      GraphExec x,
      Node n,
      TypedGraph body,
      String prefix,
      Map<PortRef, TensorType> types,
      Map<String, Value> state,
      Map<String, Value> fixed,
      long i,
      long count,
      String until,
      long max) {
    if (i == count || (count < 0 && i >= max)) {
      return CompletableFuture.completedFuture(state);
    }
    Map<String, Value> ins = new LinkedHashMap<>(state);
    ins.putAll(fixed);
    long t0 = System.nanoTime();
    int kind = x.ctx.containerKind(x.path(n), n.op());
    CompletableFuture<Map<String, Value>> next =
        iteration(x, body, prefix, types, ins, new ArrayList<>(state.values()))
            .thenComposeAsync(
                outs -> {
                  x.ctx.checkRunning();
                  x.ctx.recorder.recordIteration(kind, (int) i, t0, System.nanoTime());
                  x.ctx.stats(x.path(n), n.op()).record(0, 0);
                  Map<String, Value> carriedNext = new LinkedHashMap<>();
                  for (String c : state.keySet()) {
                    carriedNext.put(c, outs.get(c));
                  }
                  if (until != null) {
                    Value cond = outs.get(until);
                    boolean stop = cond.chunks().get(0).join().chunk().getLong(0) != 0;
                    if (!carriedNext.containsKey(until)) {
                      // the flag is only a stop condition: its one reference ends here; when it
                      // is also a carried value, the next iteration holds that reference
                      GraphExec.releaseAll(cond);
                    }
                    if (stop) {
                      return CompletableFuture.completedFuture(carriedNext);
                    }
                  }
                  return iterate(
                      x, n, body, prefix, types, carriedNext, fixed, i + 1, count, until, max);
                },
                x.ctx.executor);
    // Tracked so a run's clean-up waits until no iteration can start any more tasks.
    x.ctx.track(next);
    return next;
  }

  /**
   * Runs the body once. {@code held} are the values whose one reference this call gives up once the
   * body has taken its own.
   */
  private static CompletableFuture<Map<String, Value>> iteration(
      GraphExec x,
      TypedGraph body,
      String prefix,
      Map<PortRef, TensorType> types,
      Map<String, Value> ins,
      List<Value> held) {
    GraphExec bx = new GraphExec(x.ctx, body, prefix, x.baseDir, types);
    CompletableFuture<Void> ready =
        CompletableFuture.allOf(
            ins.values().stream().map(Value::all).toArray(CompletableFuture<?>[]::new));
    CompletableFuture<Map<String, Value>> ran =
        ready.thenComposeAsync(
            v -> {
              x.ctx.checkRunning();
              for (Map.Entry<String, Value> e : ins.entrySet()) {
                GraphExec.retainAll(e.getValue(), bx.inputUses(e.getKey()));
              }
              if (held.isEmpty()) {
                // a composite: its input edges' references are given up now
                ins.values().forEach(GraphExec::releaseAll);
              } else {
                held.forEach(GraphExec::releaseAll);
              }
              return bx.run(ins);
            },
            x.ctx.executor);
    x.ctx.track(ran);
    return ran;
  }
}
