package org.jetlag.runner.local.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jetlag.arrow.Chunk;
import org.jetlag.graph.DType;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.Ops;
import org.jetlag.kernels.Block;
import org.jetlag.kernels.Elementwise;

/**
 * One fused group of elementwise nodes: per chunk of the output, one task that streams blocks of
 * {@value GraphExec#BLOCK} elements through every member, so intermediates never reach memory.
 *
 * <p>Time is apportioned to the members equally: each member does the same number of element
 * operations per block, so each is charged an equal share of every task.
 */
final class Fused {
  /** How an operand from outside the group is read. */
  private enum Mode {
    /** Same shape as the output: chunk i, element for element. */
    SAME,
    /** Same leading length: chunk i, broadcast along trailing axes within the chunk. */
    ROWS,
    /** Anything else: the whole array gathered once and broadcast. */
    WHOLE
  }

  private record External(Value value, Mode mode) {}

  private final GraphExec x;
  private final List<Node> members;
  private final List<External> externals = new ArrayList<>();

  /** For each member, for each input port: external index (>= 0) or -(member index + 1). */
  private final int[][] operands;

  private final List<Step> steps = new ArrayList<>();

  @FunctionalInterface
  private interface Step {
    void run(Block[] in, Block out, int n);
  }

  Fused(GraphExec x, List<Node> members) {
    this.x = x;
    this.members = members;
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < members.size(); i++) {
      index.put(members.get(i).id(), i);
    }
    Node sink = members.get(members.size() - 1);
    Shape out = x.outType(sink).shape();
    operands = new int[members.size()][];
    for (int m = 0; m < members.size(); m++) {
      Node n = members.get(m);
      List<String> ports = x.g.inputPorts(n.id());
      operands[m] = new int[ports.size()];
      for (int p = 0; p < ports.size(); p++) {
        PortRef src = x.g.source(n.id(), ports.get(p));
        Integer internal = index.get(src.node());
        if (internal != null) {
          operands[m][p] = -(internal + 1);
        } else {
          Value v = x.in(n, ports.get(p));
          operands[m][p] = externals.size();
          externals.add(new External(v, mode(v.shape(), out)));
        }
      }
      steps.add(step(n));
    }
  }

  private static Mode mode(Shape in, Shape out) {
    if (in.equals(out)) {
      return Mode.SAME;
    }
    if (in.rank() == out.rank() && in.rank() > 0 && in.dim(0) == out.dim(0) && out.dim(0) != 1) {
      return Mode.ROWS;
    }
    return Mode.WHOLE;
  }

  private Step step(Node n) {
    Map<String, Object> params = x.g.params(n.id());
    return x.g
        .spec(n.id())
        .kind()
        .accept(
            new OpKind.ElementwiseVisitor<Step>() {
              @Override
              public Step unary(OpKind.UnaryFn fn) {
                return (in, out, k) -> Elementwise.unary(fn, in[0], out, k);
              }

              @Override
              public Step binary(OpKind.BinaryFn fn) {
                return (in, out, k) -> Elementwise.binary(fn, in[0], in[1], out, k);
              }

              @Override
              public Step where() {
                return (in, out, k) -> Elementwise.where(in[0], in[1], in[2], out, k);
              }

              @Override
              public Step clip() {
                double lo = (Double) params.getOrDefault("min", Double.NEGATIVE_INFINITY);
                double hi = (Double) params.getOrDefault("max", Double.POSITIVE_INFINITY);
                return (in, out, k) -> Elementwise.clip(in[0], lo, hi, out, k);
              }

              @Override
              public Step cast() {
                return (in, out, k) -> Elementwise.cast(in[0], out, k);
              }
            });
  }

  Value wire() {
    Node sink = members.get(members.size() - 1);
    TensorType outT = x.outType(sink);
    Partition part = x.partitionOf(outT.shape());
    int uses = x.uses(new PortRef(sink.id(), Ops.OUT));
    List<CompletableFuture<Block>> gathered = new ArrayList<>();
    for (External e : externals) {
      if (e.mode == Mode.WHOLE) {
        gathered.add(
            x.task(
                sink,
                e.value.all(),
                () -> GraphExec.gatherNow(e.value, "broadcast operand of " + sink.id()),
                0));
      } else {
        gathered.add(null);
      }
    }
    List<CompletableFuture<Ref>> chunks = new ArrayList<>();
    long rowSize = outT.shape().rank() == 0 ? 1 : outT.shape().rowSize();
    for (int i = 0; i < part.count(); i++) {
      int ci = i;
      List<CompletableFuture<?>> deps = new ArrayList<>();
      for (int e = 0; e < externals.size(); e++) {
        deps.add(
            externals.get(e).mode == Mode.WHOLE
                ? gathered.get(e)
                : externals.get(e).value.chunks().get(i));
      }
      Shape cs = GraphExec.chunkShape(outT.shape(), part, i);
      long elems = cs.knownSize();
      CompletableFuture<Ref> f =
          x.taskAt(
              sink,
              i,
              members,
              deps.size() == 1
                  ? deps.get(0)
                  : CompletableFuture.allOf(deps.toArray(new CompletableFuture<?>[0])),
              () -> {
                Chunk out = x.allocate(sink, outT.dtype(), cs, part.start(ci));
                try {
                  compute(ci, out, cs, outT.shape(), part.start(ci) * rowSize, gathered);
                } catch (RuntimeException e) {
                  out.close();
                  throw e;
                }
                for (External e : externals) {
                  if (e.mode != Mode.WHOLE) {
                    e.value.chunks().get(ci).join().release();
                  }
                }
                return Ref.owned(out, uses, x.ctx.live);
              },
              elems);
      chunks.add(f);
    }
    Value result = new Value(outT, part, chunks);
    CompletableFuture<Void> done =
        result
            .all()
            .handle(
                (v, err) -> {
                  for (External e : externals) {
                    if (e.mode == Mode.WHOLE) {
                      GraphExec.releaseAll(e.value);
                    }
                  }
                  return null;
                });
    x.ctx.track(done);
    return result;
  }

  private void compute(
      int ci,
      Chunk out,
      Shape cs,
      Shape outShape,
      long g0,
      List<CompletableFuture<Block>> gathered) {
    long total = out.size();
    int b = (int) Math.max(1, Math.min(GraphExec.BLOCK, total));
    Block[] ext = new Block[externals.size()];
    Block[] rowsBlocks = new Block[externals.size()];
    for (int e = 0; e < externals.size(); e++) {
      External ex = externals.get(e);
      DType dt = ex.value.type().dtype();
      if (ex.mode == Mode.WHOLE && gathered.get(e).join().length() == 1) {
        ext[e] = gathered.get(e).join();
      } else {
        ext[e] = Block.allocate(dt, b);
      }
      if (ex.mode == Mode.ROWS) {
        rowsBlocks[e] = Blocks.read(ex.value.chunks().get(ci).join().chunk());
      }
    }
    Block[] outs = new Block[members.size()];
    for (int m = 0; m < members.size(); m++) {
      outs[m] = Block.allocate(x.outType(members.get(m)).dtype(), b);
    }
    Block[][] ins = new Block[members.size()][];
    for (int m = 0; m < members.size(); m++) {
      ins[m] = new Block[operands[m].length];
      for (int p = 0; p < operands[m].length; p++) {
        int o = operands[m][p];
        ins[m][p] = o >= 0 ? ext[o] : outs[-o - 1];
      }
    }
    for (long off = 0; off < total; off += b) {
      int n = (int) Math.min(b, total - off);
      for (int e = 0; e < externals.size(); e++) {
        External ex = externals.get(e);
        switch (ex.mode) {
          case SAME:
            Blocks.load(ex.value.chunks().get(ci).join().chunk(), off, ext[e], n);
            break;
          case ROWS:
            Blocks.broadcast(
                rowsBlocks[e],
                GraphExec.chunkShape(ex.value.shape(), ex.value.part(), ci),
                cs,
                off,
                ext[e],
                n);
            break;
          case WHOLE:
            if (ext[e].length() != 1 || gathered.get(e).join() != ext[e]) {
              Blocks.broadcast(
                  gathered.get(e).join(), ex.value.shape(), outShape, g0 + off, ext[e], n);
            }
            break;
        }
      }
      for (int m = 0; m < members.size(); m++) {
        steps.get(m).run(ins[m], outs[m], n);
      }
      Blocks.store(outs[members.size() - 1], out, off, n);
    }
  }
}
