package org.jetlag.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.Position;

/**
 * Seeded random traces that look like a real run and obey every rule of {@link
 * TraceChecks#assertConsistent}: a graph with an input, a chain of nodes and a loop with a body;
 * tasks placed on worker threads without overlap inside {@code [0, wall]}; some fused tasks; node
 * profiles that are the sums of the spans' shares. The same options always give the same trace.
 *
 * @param seed the random seed
 * @param nodes top-level work nodes besides the input and the loop
 * @param spans task spans to generate
 * @param threads worker threads
 * @param taskMicros typical task duration
 * @param gapFraction mean idle gap between two tasks of a thread, as a fraction of taskMicros
 * @param dropped spans to leave out of the trace although the profiles count them
 * @param positions whether nodes carry editor positions (else the report lays them out)
 * @param memoryRatio peak live bytes as a multiple of the input bytes
 */
public record TraceGenerator(
    long seed,
    int nodes,
    int spans,
    int threads,
    double taskMicros,
    double gapFraction,
    long dropped,
    boolean positions,
    double memoryRatio) {

  /** Bytes of the generated input. */
  public static final long INPUT_BYTES = 64L << 20;

  /** Defaults: 6 nodes, 2,000 spans, 4 threads, 500 µs tasks, 10% gaps, nothing dropped. */
  public static TraceGenerator seeded(long seed) {
    return new TraceGenerator(seed, 6, 2000, 4, 500, 0.1, 0, true, 1.5);
  }

  public TraceGenerator withNodes(int n) {
    return new TraceGenerator(
        seed, n, spans, threads, taskMicros, gapFraction, dropped, positions, memoryRatio);
  }

  public TraceGenerator withSpans(int n) {
    return new TraceGenerator(
        seed, nodes, n, threads, taskMicros, gapFraction, dropped, positions, memoryRatio);
  }

  public TraceGenerator withThreads(int n) {
    return new TraceGenerator(
        seed, nodes, spans, n, taskMicros, gapFraction, dropped, positions, memoryRatio);
  }

  public TraceGenerator withTaskMicros(double us) {
    return new TraceGenerator(
        seed, nodes, spans, threads, us, gapFraction, dropped, positions, memoryRatio);
  }

  public TraceGenerator withGapFraction(double g) {
    return new TraceGenerator(
        seed, nodes, spans, threads, taskMicros, g, dropped, positions, memoryRatio);
  }

  public TraceGenerator withDropped(long d) {
    return new TraceGenerator(
        seed, nodes, spans, threads, taskMicros, gapFraction, d, positions, memoryRatio);
  }

  public TraceGenerator withPositions(boolean p) {
    return new TraceGenerator(
        seed, nodes, spans, threads, taskMicros, gapFraction, dropped, p, memoryRatio);
  }

  public TraceGenerator withMemoryRatio(double r) {
    return new TraceGenerator(
        seed, nodes, spans, threads, taskMicros, gapFraction, dropped, positions, r);
  }

  private static final String[] OPS = {"sub", "square", "sum", "matmul", "exp", "argmin"};

  /** The graph: {@code X} → {@code n1} → … → {@code nK}, a loop {@code train} over X, an output. */
  public Graph graph() {
    Random r = new Random(seed);
    List<Node> ns = new ArrayList<>();
    List<Edge> es = new ArrayList<>();
    ns.add(node("X", "input", 0, 0));
    String prev = "X";
    for (int i = 1; i <= nodes; i++) {
      String id = "n" + i;
      ns.add(node(id, OPS[r.nextInt(OPS.length)], i, i % 2));
      es.add(Edge.of(prev + ":out", id + ":x"));
      if (i > 2 && r.nextBoolean()) {
        es.add(Edge.of("n" + (1 + r.nextInt(i - 2)) + ":out", id + ":y"));
      }
      prev = id;
    }
    Graph body =
        Graph.of(
            "step",
            "",
            List.of(
                node("W", "input", 0, 0),
                node("logits", "matmul", 1, 0),
                node("grad", "sub", 2, 0),
                node("W_next", "sub", 3, 0),
                node("out_W", "output", 4, 0)),
            List.of(
                Edge.of("W:out", "logits:b"),
                Edge.of("logits:out", "grad:a"),
                Edge.of("grad:out", "W_next:a"),
                Edge.of("W_next:out", "out_W:x")));
    ns.add(node("train", "loop", 1, 2).withBody(body));
    es.add(Edge.of("X:out", "train:W"));
    ns.add(node("out", "output", nodes + 1, 0));
    es.add(Edge.of(prev + ":out", "out:x"));
    return Graph.of("generated-" + seed, "A generated trace for tests.", ns, es);
  }

  private Node node(String id, String op, int col, int row) {
    Node n = Node.of(id, op, Map.of());
    return positions ? n.withPosition(new Position(40 + 200 * col, 40 + 100 * row)) : n;
  }

  /** The node paths that run tasks, in graph order. */
  public List<String> workPaths() {
    List<String> p = new ArrayList<>();
    p.add("X");
    for (int i = 1; i <= nodes; i++) {
      p.add("n" + i);
    }
    p.addAll(List.of("train/logits", "train/grad", "train/W_next"));
    return p;
  }

  /** The trace. */
  public Trace generate() {
    Random r = new Random(seed * 31 + 7);
    Graph g = graph();
    List<String> paths = workPaths();
    Map<String, String> ops = new LinkedHashMap<>();
    for (String p : paths) {
      ops.put(p, op(g, p));
    }
    double[] free = new double[threads];
    for (int t = 0; t < threads; t++) {
      free[t] = r.nextDouble() * taskMicros;
    }
    int total = spans + (int) dropped;
    List<Span> all = new ArrayList<>(total);
    for (int k = 0; k < total; k++) {
      int t = 0;
      for (int i = 1; i < threads; i++) {
        if (free[i] < free[t]) {
          t = i;
        }
      }
      int pi = (int) Math.min(paths.size() - 1, Math.abs(r.nextGaussian()) * paths.size() / 2.5);
      String id = paths.get(pi);
      List<String> fused = List.of(id);
      if (pi > 0 && pi + 1 < paths.size() && r.nextInt(8) == 0) {
        fused = List.of(id, paths.get(pi + 1));
        id = paths.get(pi + 1);
      }
      double dur = taskMicros * Math.exp(0.6 * r.nextGaussian());
      double start = free[t] + r.nextDouble() * 2 * gapFraction * taskMicros;
      // Round to 0.001 µs as a runner does (nanosecond clocks), so JSON round trips are exact.
      start = Math.round(start * 1000) / 1000.0;
      double end = Math.round((start + dur) * 1000) / 1000.0;
      free[t] = end;
      all.add(new Span(0, id, ops.get(id), k % 64, "local", "worker-" + t, start, end, 0, fused));
    }
    all.sort((a, b) -> Double.compare(a.start(), b.start()));
    double wall = 0;
    for (Span s : all) {
      wall = Math.max(wall, s.end());
    }
    wall = Math.round((wall + taskMicros) * 1000) / 1000.0;
    List<Span> kept = new ArrayList<>(spans);
    for (int k = 0; k < all.size(); k++) {
      Span s = all.get(k);
      kept.add(
          new Span(
              k + 1,
              s.nodeId(),
              s.op(),
              s.chunk(),
              s.worker(),
              s.thread(),
              s.start(),
              s.end(),
              0,
              s.fused()));
    }
    List<NodeProfile> profiles = profiles(kept, ops, r);
    profiles.add(new NodeProfile("train", "loop", 10, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    if (dropped > 0) {
      // The recorder drops the spans that come after its budget is spent.
      kept = new ArrayList<>(kept.subList(0, spans));
    }
    List<CounterSample> counters = new ArrayList<>();
    for (double t = 0; t <= wall; t += 10_000) {
      double frac = 0.3 + 0.7 * Math.sin(Math.PI * t / wall);
      counters.add(
          new CounterSample("live_bytes", t, Math.round(INPUT_BYTES * memoryRatio * frac)));
      counters.add(new CounterSample("tasks_running", t, r.nextInt(threads + 1)));
      counters.add(new CounterSample("tasks_waiting", t, r.nextInt(50)));
    }
    RunInfo info =
        new RunInfo(
            g.name(), "0".repeat(64), "local", threads, 1_700_000_000_000L + seed, wall, "test");
    return new Trace(info, g, profiles, kept, counters, dropped);
  }

  /**
   * Profiles that are exactly the sums of the spans' shares (fused time split equally), as a runner
   * computes them; the input gets {@link #INPUT_BYTES}.
   */
  static List<NodeProfile> profiles(List<Span> spans, Map<String, String> ops, Random r) {
    Map<String, double[]> shares = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Span s : spans) {
      for (String f : s.fused()) {
        counts.merge(f, 1, Integer::sum);
      }
    }
    counts.forEach((k, c) -> shares.put(k, new double[c]));
    Map<String, Integer> fill = new LinkedHashMap<>();
    for (Span s : spans) {
      for (String f : s.fused()) {
        int i = fill.merge(f, 1, Integer::sum) - 1;
        shares.get(f)[i] = s.duration() / s.fused().size();
      }
    }
    List<NodeProfile> out = new ArrayList<>();
    for (Map.Entry<String, String> e : ops.entrySet()) {
      double[] d = shares.get(e.getKey());
      if (d == null) {
        continue;
      }
      double sum = 0;
      for (double x : d) {
        sum += x;
      }
      double[] sorted = d.clone();
      Arrays.sort(sorted);
      long total = Math.round(sum * 1000);
      long elements = 1000L * d.length;
      boolean input = e.getValue().equals("input");
      out.add(
          new NodeProfile(
              e.getKey(),
              e.getValue(),
              d.length,
              total,
              total,
              Math.round(sorted[0] * 1000),
              Math.round(sorted[sorted.length - 1] * 1000),
              Math.round(sorted[sorted.length / 2] * 1000),
              input ? 0 : elements,
              elements,
              input ? 0 : 8 * elements,
              input ? INPUT_BYTES : 8 * elements + r.nextInt(8)));
    }
    return out;
  }

  private static String op(Graph g, String path) {
    String[] parts = path.split("/");
    Optional<Node> n = g.node(parts[0]);
    for (int i = 1; i < parts.length && n.isPresent(); i++) {
      String p = parts[i];
      n = n.get().body().flatMap(b -> b.node(p));
    }
    return n.orElseThrow().op();
  }
}
