package org.jetlag.runner.local.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.Ops;
import org.jetlag.perf.CounterSample;
import org.jetlag.perf.NodeProfile;
import org.jetlag.perf.RunInfo;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;
import org.jetlag.perf.Versions;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.plan.Planner;

/** One run of the local runner: planning, wiring, completion and clean-up. */
public final class Execution {
  private static final AtomicLong SEQ = new AtomicLong();

  private final TypedGraph g;
  private final RunRequest req;
  private final Executor executor;
  private final int threads;
  private final BufferAllocator root;
  private final String runner;
  private volatile RunContext ctx;
  private volatile boolean cancelled;

  /** A run of {@code g} with {@code req}; nothing starts until {@link #start()}. */
  public Execution(
      TypedGraph g,
      RunRequest req,
      Executor executor,
      int threads,
      BufferAllocator root,
      String runner) {
    this.g = g;
    this.req = req;
    this.executor = executor;
    this.threads = threads;
    this.root = root;
    this.runner = runner;
  }

  /** Plans and wires the run; the future completes with the outputs or the first failure. */
  public CompletableFuture<RunResult> start() {
    long t0 = System.nanoTime();
    long limit = Math.min(root.getLimit(), req.options().memoryLimitBytes());
    BufferAllocator runAlloc =
        root.newChildAllocator("run-" + SEQ.incrementAndGet() + "-" + g.graph().name(), 0, limit);
    RunContext c = new RunContext(executor, threads, runAlloc, req.options());
    ctx = c;
    long startMillis = System.currentTimeMillis();
    java.util.concurrent.ScheduledFuture<?> sampler = Sampling.every(10, c::sample);
    if (cancelled) {
      c.stop(new CancellationException("cancelled"));
    }
    CompletableFuture<Map<String, Value>> outs;
    try {
      outs = wire(c);
    } catch (RuntimeException e) {
      c.stop(e);
      outs = CompletableFuture.failedFuture(e);
    }
    java.util.concurrent.ScheduledFuture<?> deadline =
        req.options()
            .timeout()
            .<java.util.concurrent.ScheduledFuture<?>>map(
                d ->
                    Sampling.after(
                        d.toMillis(),
                        () ->
                            c.stop(
                                new RunFailure(
                                    "run of graph '"
                                        + g.graph().name()
                                        + "' exceeded its timeout of "
                                        + d.toMillis()
                                        + " ms",
                                    null,
                                    null))))
            .orElse(null);
    return outs.handle((m, err) -> new Object[] {m, err})
        .thenCompose(r -> c.quiesce().thenApply(v -> r))
        .thenApply(
            r -> {
              sampler.cancel(false);
              if (deadline != null) {
                deadline.cancel(false); // do not keep a finished run alive until its deadline
              }
              c.sample();
              @SuppressWarnings("unchecked")
              Map<String, Value> m = (Map<String, Value>) r[0];
              Throwable err = (Throwable) r[1];
              // a stop that came after every task finished (a late timeout, a late cancel)
              // changes nothing: the outputs are complete
              if (err != null) {
                RuntimeException failure = asFailure(c, err);
                c.live.freeAll();
                try {
                  c.closeAllocators();
                  runAlloc.close();
                } catch (RuntimeException leak) {
                  failure.addSuppressed(leak);
                }
                throw failure;
              }
              return result(c, runAlloc, m, System.nanoTime() - t0, startMillis);
            });
  }

  /** Stops the run; its future completes with a {@link CancellationException}. */
  public void cancel() {
    cancelled = true;
    RunContext c = ctx;
    if (c != null) {
      c.stop(new CancellationException("cancelled"));
    }
  }

  private static RuntimeException asFailure(RunContext c, Throwable err) {
    Throwable e = unwrap(err);
    if (e instanceof CancellationException && e.getCause() instanceof RunFailure) {
      return (RunFailure) e.getCause();
    }
    if (e instanceof CancellationException) {
      return (CancellationException) e;
    }
    if (e instanceof RunFailure) {
      return (RunFailure) e;
    }
    if (e instanceof RuntimeException && e instanceof org.jetlag.graph.JetLagException) {
      return new RunFailure(e.getMessage(), null, e);
    }
    return new RunFailure("run failed: " + e, null, e);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Waits for a run's result.
   *
   * @throws RunFailure or {@link CancellationException}
   */
  public static RunResult join(CompletableFuture<RunResult> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable t = unwrap(e);
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      throw new RunFailure("run failed: " + t, null, t);
    }
  }

  private CompletableFuture<Map<String, Value>> wire(RunContext c) {
    Path base = req.baseDir();
    Map<String, TensorType> inTypes = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Node n : g.graph().inputNodes()) {
      String name = (String) g.params(n.id()).get("name");
      names.add(name);
      TensorType declared = g.type(new PortRef(n.id(), Ops.OUT));
      RunRequest.InputSource s =
          req.input(name)
              .orElseThrow(
                  () ->
                      RunFailure.at(
                          n.id(),
                          n.op(),
                          "input '"
                              + name
                              + "': expected data of type "
                              + declared
                              + ", got none (give it with --input "
                              + name
                              + "=FILE)",
                          null));
      TensorType t;
      if (s instanceof RunRequest.InputSource.Array) {
        t = ((RunRequest.InputSource.Array) s).array().type();
      } else {
        Path p = base.resolve(((RunRequest.InputSource.File) s).path());
        try {
          t = Planner.fileType(p, declared);
        } catch (ArrayFileException e) {
          throw RunFailure.at(n.id(), n.op(), "input '" + name + "': " + e.getMessage(), e);
        }
      }
      inTypes.put(name, t);
    }
    for (String given : req.inputs().keySet()) {
      if (!names.contains(given)) {
        throw new RunFailure(
            "graph '"
                + g.graph().name()
                + "' has no input named '"
                + given
                + "'; its inputs are "
                + names,
            null,
            null);
      }
    }
    Map<Long, Long> maxRow = new LinkedHashMap<>();
    Map<PortRef, TensorType> types =
        Planner.types(
            g,
            inTypes,
            base,
            "",
            t -> {
              if (t.shape().rank() > 0) {
                long rowBytes = Math.max(1, t.shape().rowSize()) * t.dtype().byteWidth();
                maxRow.merge(t.shape().dim(0), rowBytes, Math::max);
              }
            });
    long chunkBytes = req.options().chunkBytes();
    maxRow.forEach((rows, rb) -> c.rowsPerChunk.put(rows, Math.max(1, chunkBytes / rb)));
    GraphExec x = new GraphExec(c, g, "", base, types);
    Map<String, Value> inputs = new LinkedHashMap<>();
    for (Node n : g.graph().inputNodes()) {
      String name = (String) g.params(n.id()).get("name");
      int uses = x.inputUses(name);
      RunRequest.InputSource s = req.input(name).orElseThrow();
      if (s instanceof RunRequest.InputSource.Array) {
        inputs.put(name, Sources.fromArray(x, n, ((RunRequest.InputSource.Array) s).array(), uses));
      } else {
        Path p = base.resolve(((RunRequest.InputSource.File) s).path());
        inputs.put(
            name,
            Sources.readFile(
                x, n, p, Planner.readerFor(p), inTypes.get(name), uses, x.streamable(n)));
      }
    }
    return x.run(inputs);
  }

  private RunResult result(
      RunContext c, BufferAllocator runAlloc, Map<String, Value> m, long wall, long startMillis) {
    Map<String, NdArray> outs = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Value> e : m.entrySet()) {
        Value v = e.getValue();
        List<Chunk> chunks = new ArrayList<>();
        for (var f : v.chunks()) {
          Ref r = f.join();
          if (r.count() == 1) {
            chunks.add(r.detach());
          } else {
            Chunk src = r.chunk();
            Chunk copy =
                Chunk.allocate(c.allocator("outputs"), src.dtype(), src.shape(), src.rowStart());
            Blocks.fill(Blocks.read(src), copy, 0);
            chunks.add(copy);
            r.release();
          }
        }
        if (v.shape().rank() > 0 && v.shape().dim(0) == 0) {
          chunks.forEach(Chunk::close); // an array without rows has no chunks
          chunks.clear();
        }
        outs.put(e.getKey(), NdArray.of(v.type().dtype(), v.shape(), chunks));
      }
    } catch (RuntimeException e) {
      outs.values().forEach(NdArray::close);
      c.live.freeAll();
      c.closeAllocators();
      runAlloc.close();
      throw e;
    }
    c.live.freeAll();
    return new RunResult(
        outs,
        () -> trace(c, wall, startMillis),
        () -> {
          c.closeAllocators();
          runAlloc.close();
        });
  }

  private Trace trace(RunContext c, long wall, long startMillis) {
    List<Span> spans = c.recorder.spans(runner);
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    for (Span s : spans) {
      if (s.fused().isEmpty()) {
        continue; // a loop iteration: a container, its work is in its body's spans
      }
      double share = s.duration() / s.fused().size();
      for (String f : s.fused()) {
        shares.computeIfAbsent(f, k -> new ArrayList<>()).add(share);
      }
    }
    List<NodeProfile> profiles = new ArrayList<>();
    for (NodeStats s : c.allStats()) {
      List<Double> d = shares.getOrDefault(s.path, List.of());
      long median = 0;
      if (!d.isEmpty()) {
        List<Double> sorted = new ArrayList<>(d);
        java.util.Collections.sort(sorted);
        median = Math.round(sorted.get(sorted.size() / 2) * 1000);
      }
      profiles.add(s.profile(median, s.op.equals("loop") || s.op.equals("composite")));
    }
    RunInfo info =
        new RunInfo(
            g.graph().name(),
            RunInfo.hashOf(g.graph()),
            runner,
            threads,
            startMillis,
            wall / 1000.0,
            Versions.jetlag(),
            req.options().chunkBytes());
    List<CounterSample> counters = new ArrayList<>(c.samples());
    counters.sort(java.util.Comparator.comparingDouble(CounterSample::time));
    return new Trace(info, g.graph(), profiles, spans, counters, c.recorder.dropped());
  }
}
