package org.jetlag.runner.local.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.jetlag.arrow.Chunk;
import org.jetlag.graph.DType;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.Ops;
import org.jetlag.kernels.Block;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.plan.Fusion;

/**
 * Runs one level of a graph (the top level, or one body of a composite or loop) by wiring a future
 * per chunk of every node output; the work itself runs on the run's executor.
 *
 * <p>Ownership: every chunk is a {@link Ref} counted once per consuming edge. A consumer that works
 * chunk by chunk releases chunk {@code i} when its task {@code i} is done; a consumer that needs
 * whole arrays releases them when it is done; an {@code output} node keeps its reference and hands
 * it to the caller.
 */
final class GraphExec {
  /** Elements per block in fused elementwise passes: small enough to stay in L1/L2. */
  static final int BLOCK = 2048;

  final RunContext ctx;
  final TypedGraph g;
  final String prefix;
  final Path baseDir;
  final Map<PortRef, TensorType> types;
  final Fusion fusion;

  /** Transposes never materialised: their only consumers compute {@code X.T @ B} by chunks. */
  final java.util.Set<String> virtualTransposes;

  private final Map<PortRef, Value> values = new LinkedHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicIntegerArray> virtualUses =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final List<CompletableFuture<?>> sinks = new ArrayList<>();

  GraphExec(
      RunContext ctx, TypedGraph g, String prefix, Path baseDir, Map<PortRef, TensorType> types) {
    this.ctx = ctx;
    this.g = g;
    this.prefix = prefix;
    this.baseDir = baseDir;
    this.types = types;
    this.fusion = new Fusion(g, types);
    this.virtualTransposes = org.jetlag.runner.plan.VirtualTransposes.of(g, types);
  }

  /**
   * Called by each consumer of a virtual transpose when it is done with chunk {@code i} of the
   * transposed array X: the transpose's single reference on that chunk is released by the last.
   */
  void releaseVirtual(Node transpose, Value xv, int i) {
    java.util.concurrent.atomic.AtomicIntegerArray left =
        virtualUses.computeIfAbsent(
            transpose.id(),
            k -> {
              int consumers = uses(new PortRef(transpose.id(), Ops.OUT));
              java.util.concurrent.atomic.AtomicIntegerArray a =
                  new java.util.concurrent.atomic.AtomicIntegerArray(xv.part().count());
              for (int c = 0; c < a.length(); c++) {
                a.set(c, consumers);
              }
              return a;
            });
    if (left.decrementAndGet(i) == 0) {
      xv.chunks().get(i).join().release();
    }
  }

  /**
   * True when a file source may be streamed with a bounded read-ahead: each of its consumers frees
   * its chunks one by one and never waits on anything computed from all of the source. Then a file
   * larger than memory flows through elementwise chains and reductions. Any other consumer (a
   * whole-array op, a broadcast of a statistic of the same source) reads it whole.
   */
  boolean streamable(Node s) {
    PortRef out = new PortRef(s.id(), Ops.OUT);
    java.util.Set<String> desc = descendants(s.id());
    TensorType st = types.get(out);
    for (PortRef c : g.consumers(out)) {
      Node cn = g.graph().node(c.node()).orElseThrow();
      String sink = fusion.sinkOf.get(cn.id());
      if (sink != null) {
        TensorType gt = outType(g.graph().node(sink).orElseThrow());
        boolean aligned =
            st.shape().equals(gt.shape())
                || (st.shape().rank() == gt.shape().rank()
                    && st.shape().rank() > 0
                    && st.shape().dim(0) == gt.shape().dim(0));
        if (!aligned) {
          return false;
        }
        java.util.Set<String> members = new java.util.HashSet<>();
        for (Node m : fusion.groups.get(sink)) {
          members.add(m.id());
        }
        for (Node m : fusion.groups.get(sink)) {
          for (String port : g.inputPorts(m.id())) {
            PortRef srcPort = g.source(m.id(), port);
            String src = srcPort.node();
            if (members.contains(src) || src.equals(s.id())) {
              continue;
            }
            if (desc.contains(src)) {
              return false;
            }
            // An operand needed whole (a statistic, a broadcast array) must not depend on another
            // source that may be streamed: that source's read-ahead could be waiting on this one.
            TensorType ot = types.get(srcPort);
            boolean operandAligned =
                ot.shape().rank() == gt.shape().rank()
                    && ot.shape().rank() > 0
                    && ot.shape().dim(0) == gt.shape().dim(0)
                    && gt.shape().dim(0) != 1;
            if (!operandAligned && fedByOtherSource(s.id(), src)) {
              return false;
            }
          }
        }
      } else if (!(g.spec(cn.id()).kind() instanceof OpKind.Reduce)
          && !cn.op().equals("write_arrow")) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code node} is, or is computed from, a graph input or file reader other than s. */
  private boolean fedByOtherSource(String s, String node) {
    for (Node n : g.order()) {
      boolean source =
          n.op().equals("input") || n.op().equals("read_npy") || n.op().equals("read_arrow");
      if (source
          && !n.id().equals(s)
          && (n.id().equals(node) || descendants(n.id()).contains(node))) {
        return true;
      }
    }
    return false;
  }

  private java.util.Set<String> descendants(String id) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
    todo.add(id);
    while (!todo.isEmpty()) {
      String v = todo.poll();
      for (String port : g.outputPorts(v)) {
        for (PortRef c : g.consumers(new PortRef(v, port))) {
          if (seen.add(c.node())) {
            todo.add(c.node());
          }
        }
      }
    }
    return seen;
  }

  /** Consuming edges of an output port at this level. */
  int uses(PortRef p) {
    return g.consumers(p).size();
  }

  /** Consuming edges of the graph input of that name. */
  int inputUses(String name) {
    Node n = g.inputNode(name).orElseThrow();
    return uses(new PortRef(n.id(), Ops.OUT));
  }

  /**
   * Wires the whole level. {@code inputs} hold one reference per consuming edge of each input node.
   * Completes with the outputs by name, each chunk holding one reference for the caller.
   */
  CompletableFuture<Map<String, Value>> run(Map<String, Value> inputs) {
    Map<String, Value> outs = new LinkedHashMap<>();
    for (Node n : g.order()) {
      String sink = fusion.sinkOf.get(n.id());
      if (sink != null) {
        if (sink.equals(n.id())) {
          values.put(new PortRef(n.id(), Ops.OUT), new Fused(this, fusion.groups.get(sink)).wire());
        }
        continue;
      }
      OpKind kind = g.spec(n.id()).kind();
      if (kind instanceof OpKind.GraphPort) {
        if (((OpKind.GraphPort) kind).fn() == OpKind.GraphPortFn.INPUT) {
          String name = (String) g.params(n.id()).get("name");
          values.put(new PortRef(n.id(), Ops.OUT), inputs.get(name));
        } else {
          outs.put((String) g.params(n.id()).get("name"), in(n, "x"));
        }
        continue;
      }
      kind.accept(new NodeWiring(this, n));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(sinks);
    for (Value v : outs.values()) {
      all.add(v.all());
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> outs);
  }

  // ------------------------------------------------------------------ helpers for wiring

  Value in(Node n, String port) {
    Value v = values.get(g.source(n.id(), port));
    if (v == null) {
      throw new IllegalStateException("no value wired for " + g.source(n.id(), port));
    }
    return v;
  }

  void put(Node n, String port, Value v) {
    values.put(new PortRef(n.id(), port), v);
  }

  void sink(CompletableFuture<?> f) {
    sinks.add(f);
  }

  TensorType outType(Node n) {
    return types.get(new PortRef(n.id(), Ops.OUT));
  }

  String path(Node n) {
    return prefix + n.id();
  }

  BufferAllocator allocator(Node n) {
    return ctx.allocator(path(n));
  }

  Partition partitionOf(Shape s) {
    if (s.rank() == 0) {
      return Partition.single(1);
    }
    Long rows = ctx.rowsPerChunk.get(s.dim(0));
    return Partition.of(s.dim(0), rows == null ? Math.max(1, s.dim(0)) : rows);
  }

  /** The shape of chunk {@code i} of an array of shape {@code s} under partition {@code p}. */
  static Shape chunkShape(Shape s, Partition p, int i) {
    if (s.rank() == 0 || p.rows(i) == s.dim(0)) {
      return s;
    }
    return p.chunkShape(s, i);
  }

  /**
   * Runs {@code body} on the executor once {@code deps} complete, timing it for the node, naming
   * the node in any failure, and stopping the run on failure.
   */
  <T> CompletableFuture<T> task(
      Node n, CompletableFuture<?> deps, Supplier<T> body, long elementsOut) {
    return timers(n, List.of(n)).submit(-1, deps, body, elementsOut);
  }

  /** As {@link #task(Node, CompletableFuture, Supplier, long)} for the task of one chunk. */
  <T> CompletableFuture<T> taskAt(
      Node n, int chunk, CompletableFuture<?> deps, Supplier<T> body, long elementsOut) {
    return timers(n, List.of(n)).submit(chunk, deps, body, elementsOut);
  }

  /** As {@link #taskAt(Node, int, CompletableFuture, Supplier, long)} for a fused group. */
  <T> CompletableFuture<T> taskAt(
      Node n,
      int chunk,
      List<Node> members,
      CompletableFuture<?> deps,
      Supplier<T> body,
      long elementsOut) {
    return timers(n, members).submit(chunk, deps, body, elementsOut);
  }

  /**
   * As {@link #task(Node, CompletableFuture, Supplier, long)} for a fused task: its time is split
   * equally among {@code members} (each did the same number of element operations).
   */
  <T> CompletableFuture<T> task(
      Node n, List<Node> members, CompletableFuture<?> deps, Supplier<T> body, long elementsOut) {
    return timers(n, members).submit(-1, deps, body, elementsOut);
  }

  private final Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  private Timer timers(Node n, List<Node> members) {
    Timer t = timers.get(n.id());
    if (t == null || t.shares.length != members.size()) {
      NodeStats[] shares = new NodeStats[members.size()];
      for (int i = 0; i < shares.length; i++) {
        shares[i] = ctx.stats(path(members.get(i)), members.get(i).op());
      }
      List<String> fused = new ArrayList<>();
      for (int i = 0; i < shares.length; i++) {
        Node m = members.get(i);
        fused.add(path(m));
        long inE = 0;
        long inB = 0;
        long outB = 0;
        for (String port : g.inputPorts(m.id())) {
          TensorType it = types.get(g.source(m.id(), port));
          inE += it.shape().knownSize();
          inB += it.shape().knownSize() * it.dtype().byteWidth();
        }
        for (String port : g.outputPorts(m.id())) {
          TensorType ot = types.get(new PortRef(m.id(), port));
          outB += ot.shape().knownSize() * ot.dtype().byteWidth();
        }
        shares[i].addIo(inE, inB, outB);
      }
      t =
          new Timer(
              path(n),
              n.op(),
              ctx.stats(path(n), n.op()),
              shares,
              ctx.recorder.register(path(n), n.op(), fused));
      timers.put(n.id(), t);
    }
    return t;
  }

  /** Submits a node's tasks: per-node constants are computed once, not per chunk. */
  private final class Timer {
    final String path;
    final String op;
    final NodeStats stats;
    final NodeStats[] shares;
    final int kind;

    Timer(String path, String op, NodeStats stats, NodeStats[] shares, int kind) {
      this.path = path;
      this.op = op;
      this.stats = stats;
      this.shares = shares;
      this.kind = kind;
    }

    <T> CompletableFuture<T> submit(
        int chunk, CompletableFuture<?> deps, Supplier<T> body, long elementsOut) {
      CompletableFuture<T> f =
          deps.thenApplyAsync(
              ignored -> {
                ctx.checkRunning();
                if (stats.start()) {
                  ctx.emit(new RunEvent.NodeStarted(path));
                }
                ctx.running.incrementAndGet();
                long t0 = System.nanoTime();
                try {
                  T r = body.get();
                  long t1 = System.nanoTime();
                  ctx.recorder.record(kind, chunk, t0, t1);
                  long dt = (t1 - t0) / shares.length;
                  for (NodeStats s : shares) {
                    s.record(dt, elementsOut);
                  }
                  return r;
                } catch (CancellationException e) {
                  throw e;
                } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                  RunFailure rf = failure(path, op, e);
                  ctx.stop(rf);
                  ctx.emit(new RunEvent.NodeFailed(path, rf.getMessage()));
                  throw rf;
                } finally {
                  ctx.running.decrementAndGet();
                  ctx.taskDone();
                }
              },
              ctx.executor);
      ctx.track(f);
      return f;
    }
  }

  static RunFailure failure(String path, String op, Throwable e) {
    if (e instanceof RunFailure) {
      return (RunFailure) e;
    }
    if (e instanceof CompletionException && e.getCause() != null) {
      return failure(path, op, e.getCause());
    }
    String msg;
    if (e instanceof OutOfMemoryException) {
      msg = "out of memory: " + e.getMessage() + " (raise --memory or lower the chunk size)";
    } else if (e instanceof JetLagException) {
      msg = e.getMessage();
    } else if (e instanceof OutOfMemoryError) {
      msg = "Java heap exhausted (" + e.getMessage() + "); raise -Xmx";
    } else {
      msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    return RunFailure.at(path, op, msg, e);
  }

  /**
   * A new owned chunk for a node's output, not zero-filled: every producer in the runner writes all
   * of its elements.
   */
  Chunk allocate(Node n, DType dtype, Shape chunkShape, long rowStart) {
    return Chunk.allocateUninitialized(allocator(n), dtype, chunkShape, rowStart);
  }

  /**
   * A value whose chunks come from one whole-array computation: the block is split into chunks of
   * the output's partition.
   */
  Value fromBlock(Node n, TensorType t, CompletableFuture<Block> block, int uses) {
    Partition p = partitionOf(t.shape());
    long row = t.shape().rank() == 0 ? 1 : t.shape().rowSize();
    List<CompletableFuture<Ref>> chunks = new ArrayList<>();
    for (int i = 0; i < p.count(); i++) {
      int ci = i;
      Shape cs = chunkShape(t.shape(), p, i);
      chunks.add(
          taskAt(
              n,
              ci,
              block,
              () -> {
                Chunk c = allocate(n, t.dtype(), cs, p.start(ci));
                try {
                  Blocks.fill(block.join(), c, p.start(ci) * row);
                } catch (RuntimeException e) {
                  c.close();
                  throw e;
                }
                return Ref.owned(c, uses, ctx.live);
              },
              0));
    }
    return new Value(t, p, chunks);
  }

  /** Reads a whole value into one block once all its chunks are ready. */
  static Block gatherNow(Value v, String what) {
    List<Chunk> cs = new ArrayList<>();
    for (CompletableFuture<Ref> f : v.chunks()) {
      cs.add(f.join().chunk());
    }
    return Blocks.gather(v.type().dtype(), cs, what);
  }

  /** Releases one reference on every chunk of a value (after a whole-array consumer is done). */
  static void releaseAll(Value v) {
    for (CompletableFuture<Ref> f : v.chunks()) {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        f.join().release();
      }
    }
  }

  /** Adds {@code n} references to every chunk (all must be ready). */
  static void retainAll(Value v, int n) {
    for (CompletableFuture<Ref> f : v.chunks()) {
      f.join().retain(n);
    }
  }
}
