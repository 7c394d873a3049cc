package org.jetlag.runner.beam;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Node;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ValidationException;
import org.jetlag.perf.RunInfo;
import org.jetlag.perf.Trace;
import org.jetlag.perf.Versions;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.Runner;
import org.jetlag.runner.beam.internal.Lowering;

/**
 * Runs graphs as Apache Beam pipelines on the DirectRunner (first step of the Beam lowering:
 * inputs, constants, elementwise ops with broadcasting, and reductions; other ops are refused at
 * design time by {@link #unsupported}). Chunks are keyed by their index along axis 0 and split
 * exactly as the local runner splits them, and reductions combine chunk partials in the same
 * balanced tree, so both runners give the same numbers.
 */
public final class BeamRunner implements Runner {
  private static final AtomicLong RUNS = new AtomicLong();

  private final BufferAllocator allocator;
  private final boolean checks;

  private BeamRunner(BufferAllocator allocator, boolean checks) {
    this.allocator = allocator;
    this.checks = checks;
  }

  /**
   * A DirectRunner with its immutability and encodability checks on ({@code checks}) or off.
   * Outputs are allocated from {@code allocator}, which the caller owns.
   */
  public static BeamRunner direct(BufferAllocator allocator, boolean checks) {
    return new BeamRunner(allocator, checks);
  }

  @Override
  public String name() {
    return "direct";
  }

  /** The nodes this runner cannot lower yet, as design-time diagnostics (empty: it can run). */
  public static List<Diagnostic> unsupported(TypedGraph g) {
    return Lowering.unsupported(g);
  }

  @Override
  public RunHandle start(TypedGraph graph, RunRequest request) {
    CompletableFuture<RunResult> result = new CompletableFuture<>();
    List<Diagnostic> problems = unsupported(graph);
    if (!problems.isEmpty()) {
      result.completeExceptionally(new ValidationException(problems));
      return handle(result, null);
    }
    String runId = "beam-" + RUNS.incrementAndGet();
    long t0 = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    PipelineResult[] running = new PipelineResult[1];
    try {
      Pipeline p =
          Pipeline.create(
              PipelineOptionsFactory.fromArgs(
                      "--runner=DirectRunner",
                      "--enforceImmutability=" + checks,
                      "--enforceEncodability=" + checks,
                      "--targetParallelism=2")
                  .create());
      Map<String, NdArray> inputs = readInputs(graph, request);
      try {
        Lowering.build(p, graph, inputs, request.options().chunkBytes(), runId);
      } finally {
        inputs.values().forEach(NdArray::close);
      }
      running[0] = p.run();
      running[0].waitUntilFinish();
      Map<String, NdArray> outs = new LinkedHashMap<>();
      for (Node n : graph.graph().outputNodes()) {
        String name = (String) graph.params(n.id()).get("name");
        outs.put(
            name, assemble(graph, n, org.jetlag.runner.beam.internal.Outputs.take(runId, name)));
      }
      long wall = System.nanoTime() - t0;
      Trace trace =
          new Trace(
              new RunInfo(
                  graph.graph().name(),
                  RunInfo.hashOf(graph.graph()),
                  name(),
                  2,
                  startMillis,
                  wall / 1000.0,
                  Versions.jetlag(),
                  request.options().chunkBytes()),
              graph.graph(),
              List.of(),
              List.of(),
              List.of(),
              0);
      result.complete(new RunResult(outs, trace, () -> {}));
    } catch (RuntimeException e) {
      result.completeExceptionally(
          e instanceof RunFailure ? e : new RunFailure("Beam run failed: " + e, null, e));
    } finally {
      org.jetlag.runner.beam.internal.Outputs.clear(runId);
    }
    return handle(result, running[0]);
  }

  private static RunHandle handle(CompletableFuture<RunResult> r, PipelineResult p) {
    return new RunHandle() {
      @Override
      public CompletableFuture<RunResult> result() {
        return r;
      }

      @Override
      public void cancel() {
        if (p != null) {
          try {
            p.cancel();
          } catch (java.io.IOException | UnsupportedOperationException e) {
            // finished already
          }
        }
        r.cancel(false);
      }
    };
  }

  private Map<String, NdArray> readInputs(TypedGraph g, RunRequest req) {
    Map<String, NdArray> out = new LinkedHashMap<>();
    for (Node n : g.graph().inputNodes()) {
      String name = (String) g.params(n.id()).get("name");
      Optional<RunRequest.InputSource> s = req.input(name);
      if (s.isEmpty()) {
        throw RunFailure.at(n.id(), n.op(), "input '" + name + "': expected data, got none", null);
      }
      if (s.get() instanceof RunRequest.InputSource.Array) {
        NdArray a = ((RunRequest.InputSource.Array) s.get()).array();
        out.put(name, NdArray.fromDoubles(allocator, a.dtype(), a.shape(), a.toDoubles()));
      } else {
        Path f = req.baseDir().resolve(((RunRequest.InputSource.File) s.get()).path());
        String file = f.getFileName().toString();
        out.put(
            name,
            file.endsWith(".npy")
                ? NpyFiles.read(f, allocator, 1 << 20)
                : ArrowFiles.read(f, allocator));
      }
    }
    return out;
  }

  private NdArray assemble(TypedGraph g, Node out, ConcurrentSkipListMap<Long, ChunkData> chunks) {
    var type = g.inputType(out.id(), "x");
    List<Chunk> cs = new ArrayList<>();
    long rows = 0;
    for (ChunkData d : chunks.values()) {
      Chunk c = Chunk.allocate(allocator, d.dtype(), d.shape(), d.rowStart());
      org.jetlag.kernels.Block b = d.toBlock();
      if (d.dtype().isFloating()) {
        c.setDoubles(0, b.doubles(), 0, b.length());
      } else {
        c.setLongs(0, b.longs(), 0, b.length());
      }
      cs.add(c);
      rows += d.shape().rank() == 0 ? 1 : d.shape().dim(0);
    }
    var shape =
        type.shape().isKnown() || cs.isEmpty() ? type.shape() : type.shape().withDim(0, rows);
    if (!cs.isEmpty()) {
      shape = Lowering.concreteShape(cs, type.shape());
    }
    return NdArray.of(type.dtype(), shape, cs);
  }

  /** A root allocator for tests and simple uses. */
  public static BufferAllocator newAllocator() {
    return Allocators.root(Long.MAX_VALUE);
  }
}
