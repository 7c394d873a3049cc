package org.jetlag.runner.local.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.ChunkWriter;
import org.jetlag.arrow.CsvFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.DType;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.Ops;
import org.jetlag.kernels.Block;
import org.jetlag.kernels.Creation;
import org.jetlag.kernels.Linalg;
import org.jetlag.kernels.Reductions;
import org.jetlag.kernels.Sorting;
import org.jetlag.kernels.WholeArray;

/** Wires the tasks of one node that is not part of a fused elementwise group. */
final class NodeWiring implements OpKind.Visitor<Void> {
  private final GraphExec x;
  private final Node n;
  private final Map<String, Object> params;

  NodeWiring(GraphExec x, Node n) {
    this.x = x;
    this.n = n;
    this.params = x.g.params(n.id());
  }

  private int uses() {
    return x.uses(new PortRef(n.id(), Ops.OUT));
  }

  private TensorType outT() {
    return x.outType(n);
  }

  private IllegalStateException fused() {
    return new IllegalStateException("elementwise node " + n.id() + " must be fused");
  }

  @Override
  public Void unary(OpKind.UnaryFn fn) {
    throw fused();
  }

  @Override
  public Void binary(OpKind.BinaryFn fn) {
    throw fused();
  }

  @Override
  public Void where() {
    throw fused();
  }

  @Override
  public Void clip() {
    throw fused();
  }

  @Override
  public Void cast() {
    throw fused();
  }

  // ------------------------------------------------------------------ generic patterns

  /** Waits for every input, runs a whole-array kernel once, splits the result into chunks. */
  private void whole(List<String> ports, Function<List<Block>, Block> kernel) {
    List<Value> ins = new ArrayList<>();
    for (String p : ports) {
      ins.add(x.in(n, p));
    }
    CompletableFuture<?> deps =
        CompletableFuture.allOf(ins.stream().map(Value::all).toArray(CompletableFuture<?>[]::new));
    CompletableFuture<Block> block =
        x.task(
            n,
            deps,
            () -> {
              List<Block> bs = new ArrayList<>();
              for (Value v : ins) {
                bs.add(GraphExec.gatherNow(v, "node '" + n.id() + "' (" + n.op() + ")"));
              }
              for (Value v : ins) {
                GraphExec.releaseAll(v);
              }
              return kernel.apply(bs);
            },
            outT().shape().knownSize());
    x.put(n, Ops.OUT, x.fromBlock(n, outT(), block, uses()));
  }

  /** Waits for every input and computes the node on whole arrays (shared with every runner). */
  private void wholeOp(List<String> ports) {
    List<Shape> shapes = new ArrayList<>();
    for (String p : ports) {
      shapes.add(x.in(n, p).shape());
    }
    OpKind kind = x.g.spec(n.id()).kind();
    TensorType t = outT();
    whole(ports, bs -> WholeArray.apply(kind, params, bs, shapes, t));
  }

  /** Runs a kernel per input chunk, giving the output chunk with the same rows. */
  private void perChunk(Value in, Function<Integer, Block> kernel) {
    TensorType t = outT();
    Partition p = in.part();
    int uses = uses();
    List<CompletableFuture<Ref>> chunks = new ArrayList<>();
    for (int i = 0; i < p.count(); i++) {
      int ci = i;
      Shape cs = GraphExec.chunkShape(t.shape(), p, i);
      chunks.add(
          x.taskAt(
              n,
              i,
              in.chunks().get(i),
              () -> {
                Block b = kernel.apply(ci);
                in.chunks().get(ci).join().release();
                Chunk c = x.allocate(n, t.dtype(), cs, p.start(ci));
                try {
                  Blocks.fill(b, c, 0);
                } catch (RuntimeException e) {
                  c.close();
                  throw e;
                }
                return Ref.owned(c, uses, x.ctx.live);
              },
              cs.knownSize()));
    }
    x.put(n, Ops.OUT, new Value(t, p, chunks));
  }

  private static Block readChunk(Value v, int i) {
    return Blocks.read(v.chunks().get(i).join().chunk());
  }

  // ------------------------------------------------------------------ reductions

  @Override
  public Void reduce(OpKind.ReduceFn fn) {
    Value in = x.in(n, "x");
    Shape s = in.shape();
    boolean[] red = WholeArray.axes(params.get("axis"), s);
    int ddof = params.containsKey("ddof") ? ((Long) params.get("ddof")).intValue() : 0;
    if (in.part().count() > 1 && s.rank() > 0 && !red[0]) {
      perChunk(
          in,
          i ->
              Reductions.reduce(
                  fn,
                  Blocks.readScratch(in.chunks().get(i).join().chunk()),
                  in.chunkShape(i),
                  red,
                  ddof));
      return null;
    }
    if (in.part().count() == 1) {
      wholeOp(List.of("x"));
      return null;
    }
    List<CompletableFuture<Reductions.Partial>> parts = new ArrayList<>();
    for (int i = 0; i < in.part().count(); i++) {
      int ci = i;
      parts.add(
          x.taskAt(
              n,
              i,
              in.chunks().get(i),
              () -> {
                // the partial keeps its own accumulators, never the block: a scratch block will do
                Reductions.Partial p =
                    Reductions.partial(
                        fn,
                        Blocks.readScratch(in.chunks().get(ci).join().chunk()),
                        in.chunkShape(ci),
                        red,
                        in.part().start(ci));
                in.chunks().get(ci).join().release();
                return p;
              },
              0));
    }
    CompletableFuture<Reductions.Partial> total =
        combineTree(parts, 0, parts.size(), Reductions::combine);
    CompletableFuture<Block> block =
        x.task(n, total, () -> Reductions.finish(total.join(), ddof), outT().shape().knownSize());
    x.put(n, Ops.OUT, x.fromBlock(n, outT(), block, uses()));
    return null;
  }

  /** Combines [lo, hi) as a balanced tree by chunk index: the order never depends on timing. */
  private <P> CompletableFuture<P> combineTree(
      List<CompletableFuture<P>> parts,
      int lo,
      int hi,
      java.util.function.BinaryOperator<P> combine) {
    if (hi - lo == 1) {
      return parts.get(lo);
    }
    int mid = (lo + hi) >>> 1;
    CompletableFuture<P> a = combineTree(parts, lo, mid, combine);
    CompletableFuture<P> b = combineTree(parts, mid, hi, combine);
    return x.task(n, CompletableFuture.allOf(a, b), () -> combine.apply(a.join(), b.join()), 0);
  }

  // ------------------------------------------------------------------ creation

  @Override
  public Void create(OpKind.CreateFn fn) {
    TensorType t = outT();
    Partition p = x.partitionOf(t.shape());
    long row = t.shape().rank() == 0 ? 1 : t.shape().rowSize();
    int uses = uses();
    List<CompletableFuture<Ref>> chunks = new ArrayList<>();
    for (int i = 0; i < p.count(); i++) {
      int ci = i;
      Shape cs = GraphExec.chunkShape(t.shape(), p, i);
      chunks.add(
          x.taskAt(
              n,
              i,
              CompletableFuture.completedFuture(null),
              () -> {
                Chunk c = x.allocate(n, t.dtype(), cs, p.start(ci));
                try {
                  long total = c.size();
                  int b = (int) Math.max(1, Math.min(GraphExec.BLOCK, total));
                  Block blk = Block.allocate(t.dtype(), b);
                  long from = p.start(ci) * row;
                  for (long off = 0; off < total; off += b) {
                    int k = (int) Math.min(b, total - off);
                    Creation.fill(fn, params, t, from + off, blk, k);
                    Blocks.store(blk, c, off, k);
                  }
                } catch (RuntimeException e) {
                  c.close();
                  throw e;
                }
                return Ref.owned(c, uses, x.ctx.live);
              },
              cs.knownSize()));
    }
    x.put(n, Ops.OUT, new Value(t, p, chunks));
    return null;
  }

  // ------------------------------------------------------------------ shape

  @Override
  public Void shape(OpKind.ShapeFn fn) {
    Shape outS = outT().shape();
    switch (fn) {
      case RESHAPE:
      case SQUEEZE:
      case EXPAND_DIMS:
        {
          Value in = x.in(n, "x");
          if (in.part().count() > 1
              && outS.rank() > 0
              && in.shape().rank() > 0
              && outS.dim(0) == in.shape().dim(0)) {
            perChunk(in, i -> readChunk(in, i));
          } else {
            whole(List.of("x"), bs -> bs.get(0));
          }
          return null;
        }
      case TRANSPOSE:
        {
          if (x.virtualTransposes.contains(n.id())) {
            return null;
          }
          wholeOp(List.of("x"));
          return null;
        }
      case SLICE:
        {
          wholeOp(List.of("x"));
          return null;
        }
      case CONCAT:
      case STACK:
        wholeOp(x.g.inputPorts(n.id()));
        return null;
    }
    throw new IllegalStateException("unhandled " + fn);
  }

  // ------------------------------------------------------------------ linear algebra

  @Override
  public Void linalg(OpKind.LinalgFn fn) {
    switch (fn) {
      case MATMUL:
      case DOT:
        matmul(fn);
        return null;
      case OUTER:
      case SOLVE:
        wholeOp(List.of("a", "b"));
        return null;
      case INVERSE:
      case DET:
      case NORM:
        wholeOp(List.of("x"));
        return null;
    }
    throw new IllegalStateException("unhandled " + fn);
  }

  private void matmul(OpKind.LinalgFn fn) {
    PortRef aSrc = x.g.source(n.id(), "a");
    if (x.virtualTransposes.contains(aSrc.node())) {
      transposeMatmul(x.g.graph().node(aSrc.node()).orElseThrow());
      return;
    }
    Value a = x.in(n, "a");
    Value b = x.in(n, "b");
    Shape sa = a.shape();
    Shape sb = b.shape();
    boolean dot = fn == OpKind.LinalgFn.DOT;
    if (a.part().count() > 1 && sa.rank() == 2 && b.part().count() == 1 && sb.rank() <= 2) {
      CompletableFuture<Block> bBlock =
          x.task(n, b.all(), () -> GraphExec.gatherNow(b, "matmul operand"), 0);
      TensorType t = outT();
      Partition p = a.part();
      int uses = uses();
      List<CompletableFuture<Ref>> chunks = new ArrayList<>();
      for (int i = 0; i < p.count(); i++) {
        int ci = i;
        Shape cs = GraphExec.chunkShape(t.shape(), p, i);
        chunks.add(
            x.taskAt(
                n,
                i,
                CompletableFuture.allOf(a.chunks().get(i), bBlock),
                () -> {
                  Chunk c = x.allocate(n, t.dtype(), cs, p.start(ci));
                  try {
                    matmulRows(a.chunks().get(ci).join().chunk(), bBlock.join(), sb, c, t.dtype());
                  } catch (RuntimeException e) {
                    c.close();
                    throw e;
                  }
                  a.chunks().get(ci).join().release();
                  return Ref.owned(c, uses, x.ctx.live);
                },
                cs.knownSize()));
      }
      Value out = new Value(t, p, chunks);
      CompletableFuture<Void> done =
          out.all()
              .handle(
                  (v, e) -> {
                    GraphExec.releaseAll(b);
                    return null;
                  });
      x.ctx.track(done);
      x.put(n, Ops.OUT, out);
      return;
    }
    whole(
        List.of("a", "b"),
        bs ->
            castIfNeeded(
                dot
                    ? Linalg.dot(bs.get(0), sa, bs.get(1), sb)
                    : Linalg.matmul(bs.get(0), sa, bs.get(1), sb),
                outT().dtype()));
  }

  /** Rows of a chunk streamed through matmul a block of rows at a time (stays in cache). */
  private static final int MATMUL_BLOCK_ELEMENTS = 16384;

  /**
   * {@code out = a @ b} for a row chunk {@code a} [rows,k] and a small {@code b} [k] or [k,m],
   * reading {@code a} in blocks of rows so that nothing the size of the chunk is copied.
   */
  private static void matmulRows(Chunk a, Block b, Shape sb, Chunk out, DType outType) {
    long rows = a.rows();
    int k = (int) a.shape().dim(1);
    long m = sb.rank() == 1 ? 1 : sb.dim(1);
    int step = (int) Math.max(1, MATMUL_BLOCK_ELEMENTS / Math.max(1, k));
    Block full = null;
    for (long r0 = 0; r0 < rows; r0 += step) {
      int len = (int) Math.min(step, rows - r0);
      Block in = len == step && full != null ? full : Block.allocate(a.dtype(), len * k);
      if (len == step) {
        full = in;
      }
      Blocks.load(a, r0 * k, in, len * k);
      Block r = castIfNeeded(Linalg.matmul(in, Shape.of(len, k), b, sb), outType);
      Blocks.store(r, out, r0 * m, (int) (len * m));
    }
  }

  private static Block castIfNeeded(Block b, DType t) {
    return b.dtype() == t ? b : WholeArray.cast(b, t);
  }

  /** {@code X.T @ B} for row-aligned X [N,k] and B [N] or [N,m]: summed per-chunk products. */
  private void transposeMatmul(Node transposeNode) {
    Value xv = x.in(transposeNode, "x");
    Value b = x.in(n, "b");
    int k = (int) xv.shape().dim(1);
    int m = b.shape().rank() == 1 ? 1 : (int) b.shape().dim(1);
    List<CompletableFuture<double[]>> parts = new ArrayList<>();
    for (int i = 0; i < xv.part().count(); i++) {
      int ci = i;
      parts.add(
          x.taskAt(
              n,
              i,
              CompletableFuture.allOf(xv.chunks().get(i), b.chunks().get(i)),
              () -> {
                Chunk xc = xv.chunks().get(ci).join().chunk();
                Chunk bc = b.chunks().get(ci).join().chunk();
                long rows = xc.rows();
                // a multiple of 4 rows: the kernel sums rows four at a time, so the blocking
                // leaves the order of additions (and the bits) as for the whole chunk at once
                int step = Math.max(4, MATMUL_BLOCK_ELEMENTS / Math.max(k, m) / 4 * 4);
                double[] xa = new double[(int) Math.min(rows, step) * k];
                double[] ba = new double[(int) Math.min(rows, step) * m];
                double[] acc = new double[k * m];
                for (long r0 = 0; r0 < rows; r0 += step) {
                  int len = (int) Math.min(step, rows - r0);
                  xc.getDoubles(r0 * k, xa, 0, len * k);
                  bc.getDoubles(r0 * m, ba, 0, len * m);
                  Linalg.transposeMatmul(xa, len, k, ba, m, acc);
                }
                x.releaseVirtual(transposeNode, xv, ci);
                b.chunks().get(ci).join().release();
                return acc;
              },
              0));
    }
    CompletableFuture<double[]> total =
        combineTree(
            parts,
            0,
            parts.size(),
            (p, q) -> {
              double[] s = new double[p.length];
              for (int i = 0; i < s.length; i++) {
                s[i] = p[i] + q[i];
              }
              return s;
            });
    TensorType t = outT();
    CompletableFuture<Block> block =
        x.task(
            n,
            total,
            () -> castIfNeeded(Block.wrap(DType.FLOAT64, total.join()), t.dtype()),
            t.shape().knownSize());
    x.put(n, Ops.OUT, x.fromBlock(n, t, block, uses()));
  }

  // ------------------------------------------------------------------ sorting

  @Override
  public Void sort(OpKind.SortFn fn) {
    Value in = x.in(n, "x");
    Shape s = in.shape();
    int axis = s.normaliseAxis((Long) params.get("axis"));
    if (in.part().count() > 1 && axis != 0) {
      perChunk(in, i -> Sorting.apply(fn, readChunk(in, i), in.chunkShape(i), axis));
    } else {
      wholeOp(List.of("x"));
    }
    return null;
  }

  // ------------------------------------------------------------------ io

  @Override
  public Void io(OpKind.IoFn fn) {
    Path path = x.baseDir.resolve((String) params.get("path"));
    if (fn.isRead()) {
      x.put(n, Ops.OUT, Sources.readFile(x, n, path, fn, outT(), uses(), x.streamable(n)));
      return null;
    }
    Value in = x.in(n, "x");
    if (fn == OpKind.IoFn.WRITE_ARROW) {
      CompletableFuture<ChunkWriter> w =
          x.task(
              n,
              CompletableFuture.completedFuture(null),
              () -> ArrowFiles.openWriter(path, in.type().dtype(), in.shape()),
              0);
      CompletableFuture<ChunkWriter> prev = w;
      for (int i = 0; i < in.part().count(); i++) {
        int ci = i;
        CompletableFuture<ChunkWriter> p = prev;
        prev =
            x.taskAt(
                n,
                i,
                CompletableFuture.allOf(p, in.chunks().get(i)),
                () -> {
                  ChunkWriter cw = p.join();
                  try {
                    cw.write(in.chunks().get(ci).join().chunk());
                  } catch (RuntimeException e) {
                    cw.close();
                    throw e;
                  }
                  in.chunks().get(ci).join().release();
                  return cw;
                },
                0);
      }
      CompletableFuture<ChunkWriter> last = prev;
      CompletableFuture<Void> done =
          x.task(
              n,
              last,
              () -> {
                try (ChunkWriter cw = last.join()) {
                  cw.commit();
                }
                return null;
              },
              in.shape().knownSize());
      CompletableFuture<Void> cleanup =
          done.handle(
              (v, e) -> {
                if (e != null && w.isDone() && !w.isCompletedExceptionally()) {
                  w.join().close();
                }
                return null;
              });
      x.ctx.track(cleanup);
      x.sink(done);
      return null;
    }
    CompletableFuture<Void> done =
        x.task(
            n,
            in.all(),
            () -> {
              try (NdArray a = copyOf(in)) {
                if (fn == OpKind.IoFn.WRITE_NPY) {
                  NpyFiles.write(a, path);
                } else {
                  CsvFiles.write(a, path);
                }
              }
              GraphExec.releaseAll(in);
              return null;
            },
            in.shape().knownSize());
    x.sink(done);
    return null;
  }

  private NdArray copyOf(Value v) {
    List<Chunk> copies = new ArrayList<>();
    try {
      for (CompletableFuture<Ref> f : v.chunks()) {
        Chunk c = f.join().chunk();
        Chunk d = x.allocate(n, c.dtype(), c.shape(), c.rowStart());
        copies.add(d);
        Blocks.fill(Blocks.read(c), d, 0);
      }
      return NdArray.of(v.type().dtype(), v.shape(), copies);
    } catch (RuntimeException e) {
      copies.forEach(Chunk::close);
      throw e;
    }
  }

  // ------------------------------------------------------------------ graph ports and control

  @Override
  public Void graphPort(OpKind.GraphPortFn fn) {
    throw new IllegalStateException("graph ports are wired by GraphExec");
  }

  @Override
  public Void control(OpKind.ControlFn fn) {
    Map<String, Value> ins = new LinkedHashMap<>();
    for (String p : x.g.inputPorts(n.id())) {
      ins.put(p, x.in(n, p));
    }
    Map<String, Value> outs = Loops.wire(x, n, fn, ins);
    for (Map.Entry<String, Value> e : outs.entrySet()) {
      x.put(n, e.getKey(), e.getValue());
    }
    return null;
  }
}
