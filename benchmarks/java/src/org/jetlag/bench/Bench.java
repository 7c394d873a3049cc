package org.jetlag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Loop;
import org.jetlag.graph.build.Tensor;
import org.jetlag.perf.NodeProfile;
import org.jetlag.perf.RunProfile;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;

/**
 * JetLag side of the benchmark: {@code Bench GROUP [reps]}. Prints {@code RESULT key seconds} lines
 * (median of {@code reps} timed runs after warm-up) that {@code benchmarks/report.py} turns into
 * the table. Inputs are generated straight into Arrow chunks laid out as the runner's partition
 * (so they are borrowed, not copied) and are never timed.
 */
public final class Bench {
  static final int THREADS = 2;
  static final long CHUNK = RunOptions.DEFAULT_CHUNK_BYTES;
  static final int N = 50_000_000;
  static final int M = 5000;
  static final int MM = 2000;
  static final int ROWS = 1_000_000;
  static final int FEAT = 10;
  static final int K = 8;
  static final int ITERS = 10;
  static final int TINY = 100_000;

  static int reps = 7;
  static BufferAllocator alloc;
  static LocalRunner runner;

  public static void main(String[] args) throws Exception {
    String group = args[0];
    if (args.length > 1) {
      reps = Integer.parseInt(args[1]);
    }
    alloc = Allocators.root(Long.MAX_VALUE);
    runner = LocalRunner.withThreads(THREADS, Long.MAX_VALUE);
    try {
      switch (group) {
        case "triad":
          triad();
          break;
        case "elementwise":
          elementwise();
          break;
        case "transcendental":
          transcendental();
          break;
        case "reductions":
          reductions();
          break;
        case "matmul":
          matmul();
          break;
        case "ml":
          ml();
          break;
        case "overhead":
          overhead();
          break;
        case "tracing":
          tracing();
          break;
        case "rss":
          rss(args.length > 2 ? args[2] : "fused");
          break;
        default:
          throw new IllegalArgumentException("unknown group " + group);
      }
    } finally {
      runner.close();
      alloc.close();
    }
  }

  // ------------------------------------------------------------------ data

  /** rows per chunk the runner will choose for an array whose widest row is {@code rowBytes}. */
  static long rowsPerChunk(long rowBytes) {
    return Math.max(1, CHUNK / rowBytes);
  }

  /** Uniform values in [lo, lo+1), generated chunk by chunk (no whole-array heap copy). */
  static NdArray uniform(long seed, double lo, long rowsPerChunk, long... dims) {
    Shape s = Shape.of(dims);
    NdArray a = NdArray.allocate(alloc, DType.FLOAT64, s, rowsPerChunk);
    SplittableRandom r = new SplittableRandom(seed);
    for (Chunk c : a.chunks()) {
      int n = Math.toIntExact(c.size());
      double[] buf = new double[n];
      for (int i = 0; i < n; i++) {
        buf[i] = lo + r.nextDouble();
      }
      c.setDoubles(0, buf, 0, n);
    }
    return a;
  }

  static NdArray vec(double... v) {
    return NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(v.length), v);
  }

  // ------------------------------------------------------------------ timing

  static RunRequest req(Object... nameArray) {
    RunRequest r = RunRequest.create().withOptions(RunOptions.defaults().withChunkBytes(CHUNK));
    for (int i = 0; i < nameArray.length; i += 2) {
      r = r.withInput((String) nameArray[i], (NdArray) nameArray[i + 1]);
    }
    return r;
  }

  static RunProfile lastProfile;

  /** Median wall seconds of {@code reps} runs after {@code warm} warm-up runs. */
  static double time(TypedGraph g, RunRequest r, int warm) {
    for (int i = 0; i < warm; i++) {
      try (RunResult res = runner.run(g, r)) {
        lastProfile = res.profile();
      }
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      RunResult res = runner.run(g, r);
      t[i] = (System.nanoTime() - t0) / 1e9;
      lastProfile = res.profile();
      res.close();
    }
    return median(t);
  }

  static double median(double[] t) {
    double[] s = t.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static void result(String key, double seconds) {
    System.out.printf(Locale.ROOT, "RESULT %s %.9f%n", key, seconds);
  }

  static void info(String key, String value) {
    System.out.printf(Locale.ROOT, "INFO %s %s%n", key, value);
  }

  static long tasks(RunProfile p) {
    return p.nodes().stream().mapToLong(NodeProfile::calls).sum();
  }

  static double one(TypedGraph g, RunRequest r, String out) {
    try (RunResult res = runner.run(g, r)) {
      return res.output(out).getDouble(0);
    }
  }

  static void check(String what, double got, double want) {
    double tol = 1e-6 * Math.max(1, Math.abs(want));
    if (!(Math.abs(got - want) <= tol)) {
      throw new AssertionError(what + ": got " + got + ", want " + want);
    }
  }

  // ------------------------------------------------------------------ groups

  /** STREAM-triad-like yardstick in plain Java: a = b + s*c, 2 threads, 50 M doubles each. */
  static void triad() throws Exception {
    double[] a = new double[N];
    double[] b = new double[N];
    double[] c = new double[N];
    Arrays.fill(b, 1.0);
    Arrays.fill(c, 2.0);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      Runnable[] parts = new Runnable[THREADS];
      for (int t = 0; t < THREADS; t++) {
        int lo = (int) ((long) N * t / THREADS);
        int hi = (int) ((long) N * (t + 1) / THREADS);
        parts[t] =
            () -> {
              for (int i = lo; i < hi; i++) {
                a[i] = b[i] + 3.0 * c[i];
              }
            };
      }
      double[] ts = new double[reps];
      for (int i = -3; i < reps; i++) {
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (Runnable p : parts) {
          fs.add(pool.submit(p));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        if (i >= 0) {
          ts[i] = (System.nanoTime() - t0) / 1e9;
        }
      }
      result("java.triad", median(ts));
    } finally {
      pool.shutdown();
    }
  }

  static void elementwise() {
    long rpc = rowsPerChunk(8);
    try (NdArray a = uniform(1, 0.5, rpc, N);
        NdArray b = uniform(2, 0.5, rpc, N)) {
      GraphBuilder g = GraphBuilder.create("fused");
      Tensor x = g.input("a", DType.FLOAT64, Shape.of(N));
      Tensor y = g.input("b", DType.FLOAT64, Shape.of(N));
      g.output("c", x.mul(y).add(2.0));
      TypedGraph fused = g.check();

      GraphBuilder g5 = GraphBuilder.create("chain5");
      Tensor x5 = g5.input("a", DType.FLOAT64, Shape.of(N));
      Tensor y5 = g5.input("b", DType.FLOAT64, Shape.of(N));
      g5.output("c", x5.mul(y5).add(2.0).mul(x5).sub(y5).div(2.0));
      TypedGraph chain5 = g5.check();

      RunRequest r = req("a", a, "b", b);
      try (RunResult res = runner.run(fused, r)) {
        NdArray c = res.output("c");
        for (long i : new long[] {0, 12_345_678, N - 1}) {
          check("a*b+2", c.getDouble(i), a.getDouble(i) * b.getDouble(i) + 2);
        }
        info("jetlag.ew.fused.chunks", String.valueOf(c.chunks().size()));
      }
      try (RunResult res = runner.run(chain5, r)) {
        NdArray c = res.output("c");
        long i = 7_777_777;
        double ai = a.getDouble(i);
        double bi = b.getDouble(i);
        check("chain5", c.getDouble(i), ((ai * bi + 2) * ai - bi) / 2);
      }
      result("jetlag.ew.fused", time(fused, r, 3));
      info("jetlag.ew.fused.tasks", String.valueOf(tasks(lastProfile)));
      result("jetlag.ew.chain5", time(chain5, r, 3));
      // Same work with the inputs given as one big chunk each (what NdArray.fromDoubles makes):
      // the runner then gathers and re-splits them inside the timed run.
      try (NdArray a1 = single(a);
          NdArray b1 = single(b)) {
        result("jetlag.ew.fused_onechunk_input", time(fused, req("a", a1, "b", b1), 1));
      }
    }
  }

  static NdArray single(NdArray a) {
    return NdArray.fromDoubles(alloc, DType.FLOAT64, a.shape(), a.toDoubles());
  }

  static void transcendental() {
    long rpc = rowsPerChunk(8);
    try (NdArray a = uniform(1, 0.5, rpc, N);
        NdArray b = uniform(2, 0.5, rpc, N)) {
      GraphBuilder g = GraphBuilder.create("transcendental");
      Tensor x = g.input("a", DType.FLOAT64, Shape.of(N));
      Tensor y = g.input("b", DType.FLOAT64, Shape.of(N));
      g.output("c", x.sqrt().add(y.sin()));
      TypedGraph tg = g.check();
      RunRequest r = req("a", a, "b", b);
      try (RunResult res = runner.run(tg, r)) {
        long i = 31_415_926;
        check("sqrt+sin", res.output("c").getDouble(i),
            Math.sqrt(a.getDouble(i)) + Math.sin(b.getDouble(i)));
      }
      result("jetlag.transc", time(tg, r, 2));
    }
  }

  static void reductions() {
    try (NdArray a = uniform(1, 0.5, rowsPerChunk(8), N)) {
      GraphBuilder g = GraphBuilder.create("sum");
      g.output("s", g.input("a", DType.FLOAT64, Shape.of(N)).sum());
      TypedGraph tg = g.check();
      RunRequest r = req("a", a);
      double want = 0;
      for (double v : a.toDoubles()) {
        want += v;
      }
      check("sum", one(tg, r, "s"), want);
      result("jetlag.sum", time(tg, r, 3));
    }
    try (NdArray m = uniform(3, 0.5, rowsPerChunk(8L * M), M, M)) {
      for (int axis = 0; axis < 2; axis++) {
        GraphBuilder g = GraphBuilder.create("mean" + axis);
        g.output("m", g.input("A", DType.FLOAT64, Shape.of(M, M)).mean(axis));
        TypedGraph tg = g.check();
        RunRequest r = req("A", m);
        try (RunResult res = runner.run(tg, r)) {
          double want = 0;
          for (int i = 0; i < M; i++) {
            want += axis == 0 ? m.getDouble((long) i * M + 17) : m.getDouble(17L * M + i);
          }
          check("mean axis " + axis, res.output("m").getDouble(17), want / M);
        }
        result("jetlag.mean_axis" + axis, time(tg, r, 3));
      }
    }
  }

  static void matmul() {
    long rpc = rowsPerChunk(8L * MM);
    try (NdArray a = uniform(1, -0.5, rpc, MM, MM);
        NdArray b = uniform(2, -0.5, rpc, MM, MM)) {
      GraphBuilder g = GraphBuilder.create("matmul");
      Tensor x = g.input("A", DType.FLOAT64, Shape.of(MM, MM));
      Tensor y = g.input("B", DType.FLOAT64, Shape.of(MM, MM));
      g.output("C", x.matmul(y));
      TypedGraph tg = g.check();
      RunRequest r = req("A", a, "B", b);
      try (RunResult res = runner.run(tg, r)) {
        double want = 0;
        for (int k = 0; k < MM; k++) {
          want += a.getDouble(5L * MM + k) * b.getDouble((long) k * MM + 9);
        }
        check("matmul", res.output("C").getDouble(5L * MM + 9), want);
      }
      int saved = reps;
      reps = Math.min(reps, 5);
      result("jetlag.matmul", time(tg, r, 1));
      reps = saved;
    }
  }

  static TypedGraph logreg(int iterations) {
    GraphBuilder g = GraphBuilder.create("logreg" + iterations);
    Tensor x = g.input("X", DType.FLOAT64, Shape.of(ROWS, FEAT));
    Tensor y = g.input("y", DType.FLOAT64, Shape.of(ROWS));
    Tensor w0 = g.input("w", DType.FLOAT64, Shape.of(FEAT));
    if (iterations == 1) {
      Tensor r = x.matmul(w0).sigmoid().sub(y);
      Tensor grad = x.T().matmul(r).div((double) ROWS);
      g.output("w", w0.sub(grad.mul(0.1)));
      return g.check();
    }
    Loop loop = g.loop(iterations);
    Tensor w = loop.carry("w", w0);
    Tensor xs = loop.fixed("X", x);
    Tensor ys = loop.fixed("y", y);
    Tensor r = xs.matmul(w).sigmoid().sub(ys);
    Tensor grad = xs.T().matmul(r).div((double) ROWS);
    loop.update("w", w.sub(grad.mul(0.1)));
    g.output("w", loop.end().get("w"));
    return g.check();
  }

  static Tensor kmeansStep(GraphBuilder body, Tensor xs, Tensor c) {
    Tensor d2 = xs.expandDims(1).sub(c.expandDims(0)).square().sum(2);
    Tensor labels = d2.argmin(1);
    Tensor onehot = labels.expandDims(1).eq(body.arange(0, K, 1)).astype(DType.FLOAT64);
    Tensor totals = onehot.T().matmul(xs);
    Tensor counts = onehot.sum(0).expandDims(1);
    Tensor means = totals.div(counts.maximum(body.scalar(1.0)));
    return body.where(counts.gt(body.scalar(0.0)), means, c);
  }

  static TypedGraph kmeans(int iterations) {
    GraphBuilder g = GraphBuilder.create("kmeans" + iterations);
    Tensor x = g.input("X", DType.FLOAT64, Shape.of(ROWS, FEAT));
    Tensor c0 = g.input("C", DType.FLOAT64, Shape.of(K, FEAT));
    if (iterations == 1) {
      g.output("C", kmeansStep(g, x, c0));
      return g.check();
    }
    Loop loop = g.loop(iterations);
    Tensor c = loop.carry("C", c0);
    Tensor xs = loop.fixed("X", x);
    loop.update("C", kmeansStep(loop.body(), xs, c));
    g.output("C", loop.end().get("C"));
    return g.check();
  }

  static void ml() {
    try (NdArray x = uniform(1, -0.5, rowsPerChunk(8L * FEAT), ROWS, FEAT);
        NdArray y = labels(rowsPerChunk(8L * FEAT));
        NdArray w = vec(new double[FEAT]);
        NdArray c = firstRows(x, K)) {
      RunRequest lr = req("X", x, "y", y, "w", w);
      // correctness of one step against a direct loop
      double[] xd = x.toDoubles();
      double[] yd = y.toDoubles();
      double g0 = 0;
      for (int i = 0; i < ROWS; i++) {
        g0 += xd[i * FEAT] * (0.5 - yd[i]);
      }
      try (RunResult res = runner.run(logreg(1), lr)) {
        check("logreg w[0]", res.output("w").getDouble(0), -0.1 * g0 / ROWS);
      }
      result("jetlag.logreg.step1", time(logreg(1), lr, 3));
      info("jetlag.logreg.step1.tasks", String.valueOf(tasks(lastProfile)));
      result("jetlag.logreg.loop" + ITERS, time(logreg(ITERS), lr, 1));
      info("jetlag.logreg.loop.tasks", String.valueOf(tasks(lastProfile)));
      System.out.println("PROFILE logreg loop\n" + lastProfile.table(8).replaceAll("(?m)^", "# "));
      RunRequest km = req("X", x, "C", c);
      result("jetlag.kmeans.step1", time(kmeans(1), km, 3));
      result("jetlag.kmeans.loop" + ITERS, time(kmeans(ITERS), km, 1));
      info("jetlag.kmeans.loop.tasks", String.valueOf(tasks(lastProfile)));
      System.out.println("PROFILE kmeans loop\n" + lastProfile.table(8).replaceAll("(?m)^", "# "));
    }
  }

  static NdArray labels(long rpc) {
    NdArray a = NdArray.allocate(alloc, DType.FLOAT64, Shape.of(ROWS), rpc);
    SplittableRandom r = new SplittableRandom(7);
    for (Chunk ch : a.chunks()) {
      int n = Math.toIntExact(ch.size());
      double[] buf = new double[n];
      for (int i = 0; i < n; i++) {
        buf[i] = r.nextBoolean() ? 1.0 : 0.0;
      }
      ch.setDoubles(0, buf, 0, n);
    }
    return a;
  }

  static NdArray firstRows(NdArray x, int k) {
    double[] v = new double[k * FEAT];
    for (int i = 0; i < v.length; i++) {
      v[i] = x.getDouble(i);
    }
    return NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(k, FEAT), v);
  }

  /** 100k chunks of one element each: every op runs one task per chunk. */
  static void overhead() {
    try (NdArray a = uniform(1, 0.5, 1, TINY)) {
      GraphBuilder g = GraphBuilder.create("tiny");
      Tensor x = g.input("a", DType.FLOAT64, Shape.of(TINY));
      g.output("s", x.mul(2.0).add(1.0).sum());
      TypedGraph tg = g.check();
      RunRequest r =
          RunRequest.create()
              .withInput("a", a)
              .withOptions(RunOptions.defaults().withChunkBytes(8));
      int saved = reps;
      double[] t = new double[reps];
      long tasks = 0;
      for (int i = -2; i < reps; i++) {
        long t0 = System.nanoTime();
        try (RunResult res = runner.run(tg, r)) {
          double dt = (System.nanoTime() - t0) / 1e9;
          tasks = tasks(res.profile());
          if (i >= 0) {
            t[i] = dt;
          }
          if (i == -1) {
            System.out.println("PROFILE tiny\n" + res.profile().table(8).replaceAll("(?m)^", "# "));
          }
        }
      }
      reps = saved;
      result("jetlag.tiny", median(t));
      info("jetlag.tiny.tasks", String.valueOf(tasks));
    }
  }

  /**
   * Tracing on (every task span kept, the default) against off ({@code maxSpans(0)}), alternating
   * runs of the same graph so drift hits both alike: a 50 M chain cut into 256 KiB chunks
   * (~4,600 tasks) and a 1M-element chain cut into 8 KiB chunks (~37,000 tasks).
   */
  static void tracing() {
    long rpc = (256 << 10) / 8;
    try (NdArray a = uniform(1, 0.5, rpc, N);
        NdArray b = uniform(2, 0.5, rpc, N);
        NdArray s = uniform(3, 0.5, 1024, 1_000_000)) {
      GraphBuilder g = GraphBuilder.create("traced");
      Tensor x = g.input("a", DType.FLOAT64, Shape.of(N));
      Tensor y = g.input("b", DType.FLOAT64, Shape.of(N));
      g.output("c", x.mul(y).add(2.0).sqrt());
      g.output("s", x.mul(y).sum());
      TypedGraph big = g.check();
      GraphBuilder h = GraphBuilder.create("traced-small");
      Tensor z = h.input("a", DType.FLOAT64, Shape.of(1_000_000));
      h.output("s", z.mul(2.0).add(1.0).square().sum());
      TypedGraph small = h.check();
      for (Object[] c :
          new Object[][] {
            {"big", big, RunRequest.create().withInput("a", a).withInput("b", b), 256L << 10},
            {"small", small, RunRequest.create().withInput("a", s), 8L << 10}
          }) {
        TypedGraph tg = (TypedGraph) c[1];
        RunRequest base = (RunRequest) c[2];
        RunOptions on = RunOptions.defaults().withChunkBytes((Long) c[3]);
        RunRequest rOn = base.withOptions(on);
        RunRequest rOff = base.withOptions(on.withMaxSpans(0));
        double[] tOn = new double[reps];
        double[] tOff = new double[reps];
        long spans = 0;
        for (int i = -2; i < reps; i++) {
          for (boolean traced : new boolean[] {true, false}) {
            long t0 = System.nanoTime();
            try (RunResult res = runner.run(tg, traced ? rOn : rOff)) {
              double dt = (System.nanoTime() - t0) / 1e9;
              if (traced) {
                spans = res.trace().spans().size();
              }
              if (i >= 0) {
                (traced ? tOn : tOff)[i] = dt;
              }
            }
          }
        }
        result("jetlag.tracing." + c[0] + ".on", median(tOn));
        result("jetlag.tracing." + c[0] + ".off", median(tOff));
        info("jetlag.tracing." + c[0] + ".spans", String.valueOf(spans));
      }
    }
  }

  /** Peak RSS of a fresh JVM that runs the 50 M chain once, against its live set. */
  static void rss(String which) throws IOException {
    long before = vm("VmRSS");
    long rpc = rowsPerChunk(8);
    try (NdArray a = uniform(1, 0.5, rpc, N);
        NdArray b = uniform(2, 0.5, rpc, N)) {
      GraphBuilder g = GraphBuilder.create("rss");
      Tensor x = g.input("a", DType.FLOAT64, Shape.of(N));
      Tensor y = g.input("b", DType.FLOAT64, Shape.of(N));
      Tensor out = x.mul(y).add(2.0);
      if (which.equals("chain20")) {
        for (int i = 0; i < 9; i++) {
          out = out.mul(x).sub(y);
        }
        out = out.mul(0.5);
      }
      g.output("c", out);
      TypedGraph tg = g.check();
      long withInputs = vm("VmHWM");
      try (RunResult res = runner.run(tg, req("a", a, "b", b))) {
        long live = a.byteSize() + b.byteSize() + res.output("c").byteSize();
        long hwm = vm("VmHWM");
        info("rss." + which + ".baseline_kb", String.valueOf(before));
        info("rss." + which + ".hwm_after_inputs_kb", String.valueOf(withInputs));
        info("rss." + which + ".hwm_kb", String.valueOf(hwm));
        info("rss." + which + ".live_bytes", String.valueOf(live));
      }
    }
  }

  static long vm(String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith(field + ":")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
