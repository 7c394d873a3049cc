package org.jetlag.runner.beam.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Redistribute;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.jetlag.graph.DType;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.Ops;
import org.jetlag.kernels.Block;
import org.jetlag.kernels.WholeArray;
import org.jetlag.runner.beam.ChunkCoder;
import org.jetlag.runner.beam.ChunkData;
import org.jetlag.runner.plan.Fusion;
import org.jetlag.runner.plan.Hoist;
import org.jetlag.runner.plan.Planner;
import org.jetlag.runner.plan.VirtualTransposes;

/**
 * Builds the Beam pipeline of a graph. Every array is a {@code PCollection} of chunks keyed by
 * their index along axis 0, split exactly as the local runner splits it; step names are {@code
 * <node id>/<op>} (inside bodies {@code <loop id>/<iteration>/<node id>/<op>}).
 *
 * <ul>
 *   <li>Elementwise chains become one {@code ParDo} per fused group (the local runner's fusion);
 *       operands split like the output are joined on chunk index ({@code CoGroupByKey}), the others
 *       are singleton side inputs.
 *   <li>Reductions over axis 0 give a partial per chunk, combined in the local runner's balanced
 *       tree over chunk index ({@code Combine}), so both runners give the same bits.
 *   <li>{@code a @ b} with {@code a} split by rows uses {@code b} as a side input; {@code X.T @ B}
 *       of two aligned arrays sums per-chunk products in the same tree.
 *   <li>Ops whose output chunk needs only the same input rows (reshapes that keep axis 0, sorts and
 *       reductions along other axes) run per chunk; every other op gathers its inputs and runs the
 *       shared whole-array kernel ({@link WholeArray}) once.
 *   <li>Loops with a count unroll (loop-invariant work hoisted out, as in the local runner); a
 *       composite is inlined. Loops that stop on a condition are refused at design time.
 * </ul>
 */
public final class Lowering {
  private Lowering() {}

  /**
   * A graph input as the workers read it.
   *
   * @param file absolute path of a .npy, Arrow IPC or CSV file every worker can read
   * @param format the reader
   * @param type the array in the file
   */
  public record Input(String file, OpKind.IoFn format, TensorType type) {}

  /** Diagnostics for the nodes this lowering cannot run (loops that stop on a condition). */
  public static List<Diagnostic> unsupported(TypedGraph g) {
    List<Diagnostic> out = new ArrayList<>();
    unsupported(g, "", out);
    return out;
  }

  private static void unsupported(TypedGraph g, String prefix, List<Diagnostic> out) {
    for (Node n : g.order()) {
      if (g.spec(n.id()).kind() instanceof OpKind.Control) {
        if (n.op().equals("loop") && count(g, n) < 0) {
          out.add(
              Diagnostic.error(
                  "not-on-beam",
                  prefix + n.id(),
                  n.op(),
                  null,
                  "not supported on Beam: a loop that stops on its 'until' output needs the"
                      + " client to drive each iteration (give it a count, or use the local"
                      + " runner)"));
        }
        unsupported(g.body(n.id()), prefix + n.id() + "/", out);
      }
    }
  }

  private static long count(TypedGraph g, Node n) {
    Object c = g.params(n.id()).get("count");
    return c == null ? -1 : (Long) c;
  }

  /** Makes and runs the pipelines of a run (one, or several when loops are driven). */
  public interface Stages {
    /** A new, empty pipeline. */
    Pipeline create();

    /** Runs {@code p} to its end; throws when it fails or the run is cancelled. */
    void run(Pipeline p);

    /**
     * True when chunk indices are to be spread over the workers before any chunk is read: a Flink
     * cluster hands its source splits to whichever reader asks first, so without this the first
     * TaskManager to start could read, and compute, every chunk. Elsewhere it only costs a shuffle
     * (measured: 1 s more on the DirectRunner for 256 MiB).
     */
    default boolean spreadChunks() {
      return false;
    }
  }

  /**
   * Lowers and runs the graph: reads the inputs, computes, and saves each graph output's chunks in
   * the run folder (graph outputs numbered in {@code outputNodes()} order).
   *
   * @param driveLoops run each iteration of a top-level loop as its own pipeline, the loop's state
   *     saved in the run folder between them (for Flink, whose job translation grows exponentially
   *     with unrolled iterations); otherwise loops unroll into one pipeline
   * @return the concrete type of each graph output, in that order
   */
  public static List<TensorType> run(
      Stages stages,
      boolean driveLoops,
      TypedGraph g,
      Map<String, Input> inputs,
      Path baseDir,
      long chunkBytes,
      Exchange ex) {
    Map<String, TensorType> inTypes = new LinkedHashMap<>();
    inputs.forEach((k, v) -> inTypes.put(k, v.type()));
    List<TensorType> all = new ArrayList<>();
    Map<PortRef, TensorType> types = Planner.types(g, inTypes, baseDir, "", all::add);
    Map<Long, Long> maxRow = new LinkedHashMap<>();
    for (TensorType t : all) {
      if (t.shape().rank() > 0) {
        long rb = Math.max(1, t.shape().rowSize()) * t.dtype().byteWidth();
        maxRow.merge(t.shape().dim(0), rb, Math::max);
      }
    }
    Map<Long, Long> rows = new LinkedHashMap<>();
    maxRow.forEach((n, rb) -> rows.put(n, Math.max(1, chunkBytes / rb)));
    Builder b = new Builder(stages, driveLoops, ex, rows, baseDir, inputs);
    Map<String, Value> outs = b.graph(g, "", "", null, types);
    List<TensorType> outTypes = new ArrayList<>();
    int i = 0;
    for (Node n : g.graph().outputNodes()) {
      Value v = outs.get((String) g.params(n.id()).get("name"));
      v.chunks()
          .apply(
              n.id() + "/" + n.op(),
              ParDo.of(new Fns.Save(Meter.Tag.of(ex, n.id(), n.op()), "out" + i++)));
      outTypes.add(v.type());
    }
    stages.run(b.p);
    return outTypes;
  }

  /** A lowered array: its concrete type, rows per chunk and chunks. */
  record Value(TensorType type, long rpc, PCollection<KV<Long, ChunkData>> chunks) {
    boolean chunked() {
      return type.shape().rank() > 0 && type.shape().dim(0) > rpc;
    }
  }

  /** Lowers graphs (and their bodies) into one pipeline. */
  private static final class Builder {
    private final Stages stages;
    private final boolean driveLoops;
    private final Exchange ex;
    private final Map<Long, Long> rows;
    private final Path baseDir;
    private final Map<String, Input> inputs;
    private Pipeline p;
    private int saved;

    Builder(
        Stages stages,
        boolean driveLoops,
        Exchange ex,
        Map<Long, Long> rows,
        Path baseDir,
        Map<String, Input> inputs) {
      this.stages = stages;
      this.driveLoops = driveLoops;
      this.ex = ex;
      this.rows = rows;
      this.baseDir = baseDir;
      this.inputs = inputs;
      this.p = stages.create();
    }

    /** Runs the pipeline built so far and starts a new one. */
    void flush() {
      stages.run(p);
      p = stages.create();
    }

    /** An array saved in the run folder by an earlier pipeline. */
    record Saved(String name, TensorType type, long rpc) {}

    Saved save(Value v, String step, Meter.Tag tag) {
      String name = "v" + saved++;
      v.chunks().apply(step, ParDo.of(new Fns.Save(tag, name)));
      return new Saved(name, v.type(), v.rpc());
    }

    Value load(Saved sv, String step, Meter.Tag tag) {
      return new Value(
          sv.type(),
          sv.rpc(),
          indices(step + "/chunks", Fns.chunkCount(sv.type().shape(), sv.rpc()))
              .apply(step, ParDo.of(new Fns.Load(tag, sv.name())))
              .setCoder(Fns.KV_CODER));
    }

    long rpc(TensorType t) {
      return t.shape().rank() == 0 ? 1 : rows.getOrDefault(t.shape().dim(0), 1L);
    }

    /** Reads a file into chunks: .npy by row ranges on many workers, other files whole. */
    Value read(
        String path,
        String op,
        String step,
        String file,
        OpKind.IoFn fn,
        TensorType t,
        boolean header,
        String delimiter) {
      long rpc = rpc(t);
      Meter.Tag tag = Meter.Tag.of(ex, path, op);
      PCollection<KV<Long, ChunkData>> chunks;
      if (fn == OpKind.IoFn.READ_NPY && t.shape().rank() > 0) {
        chunks =
            indices(step + "/chunks", Fns.chunkCount(t.shape(), rpc))
                .apply(step, ParDo.of(new Fns.ReadNpyRows(tag, file, rpc)));
      } else {
        chunks =
            indices(step + "/file", 1)
                .apply(step, ParDo.of(new Fns.ReadWhole(tag, file, fn, t, header, delimiter, rpc)));
      }
      return new Value(t, rpc, chunks.setCoder(Fns.KV_CODER));
    }

    PCollection<Long> indices(String step, long count) {
      Pipeline p = this.p;
      List<Long> idx = new ArrayList<>();
      for (long i = 0; i < count; i++) {
        idx.add(i);
      }
      PCollection<Long> created = p.apply(step, Create.of(idx).withCoder(VarLongCoder.of()));
      // see Stages.spreadChunks
      return count > 1 && stages.spreadChunks()
          ? created.apply(step + "/spread", Redistribute.arbitrarily())
          : created;
    }

    /** Lowers {@code g}; returns its outputs by name. */
    Map<String, Value> graph(
        TypedGraph g,
        String path,
        String step,
        Map<String, Value> provided,
        Map<PortRef, TensorType> types) {
      Scope s = new Scope(g, path, step, provided, types);
      for (Node n : g.order()) {
        g.spec(n.id()).kind().accept(new NodeLowering(s, n));
      }
      return s.outputs;
    }

    /** The state of one graph being lowered. */
    final class Scope {
      final TypedGraph g;
      final String path;
      final String step;
      final Map<String, Value> provided;
      final Map<PortRef, TensorType> types;
      final Map<PortRef, Value> values = new LinkedHashMap<>();
      final Map<String, Value> outputs = new LinkedHashMap<>();
      final Fusion fusion;
      final Set<String> virtual;

      Scope(
          TypedGraph g,
          String path,
          String step,
          Map<String, Value> provided,
          Map<PortRef, TensorType> types) {
        this.g = g;
        this.path = path;
        this.step = step;
        this.provided = provided;
        this.types = types;
        this.fusion = new Fusion(g, types);
        this.virtual = VirtualTransposes.of(g, types);
      }
    }

    /** Lowers one node, dispatched on its op family. */
    final class NodeLowering implements OpKind.Visitor<Void> {
      private final Scope s;
      private final Node n;
      private final Map<String, Object> params;

      NodeLowering(Scope s, Node n) {
        this.s = s;
        this.n = n;
        this.params = s.g.params(n.id());
      }

      String path() {
        return s.path + n.id();
      }

      String step() {
        return s.step + n.id() + "/" + n.op();
      }

      Meter.Tag tag() {
        return Meter.Tag.of(ex, path(), n.op());
      }

      TensorType outT() {
        return s.types.get(new PortRef(n.id(), Ops.OUT));
      }

      Value in(String port) {
        return s.values.get(s.g.source(n.id(), port));
      }

      void put(PCollection<KV<Long, ChunkData>> chunks) {
        TensorType t = outT();
        s.values.put(
            new PortRef(n.id(), Ops.OUT), new Value(t, rpc(t), chunks.setCoder(Fns.KV_CODER)));
      }

      /** All chunks of {@code v} as one chunk (a singleton collection). */
      PCollection<ChunkData> gather(Value v, String name) {
        return v.chunks()
            .apply(name, Combine.globally(new Fns.Gather(tag())).withoutDefaults())
            .setCoder(ChunkCoder.of());
      }

      PCollectionView<ChunkData> side(Value v, String name) {
        return gather(v, name + "/gather").apply(name + "/view", View.asSingleton());
      }

      /** Gathers every input and runs the shared whole-array kernel once. */
      void whole(List<String> ports) {
        List<PCollectionView<ChunkData>> sides = new ArrayList<>();
        for (int i = 1; i < ports.size(); i++) {
          sides.add(side(in(ports.get(i)), step() + "/" + ports.get(i)));
        }
        TensorType t = outT();
        put(
            gather(in(ports.get(0)), step() + "/" + ports.get(0) + "/gather")
                .apply(
                    step(),
                    ParDo.of(new Fns.WholeOp(tag(), params, sides, t, rpc(t)))
                        .withSideInputs(sides)));
      }

      /**
       * A result computed whole (one chunk, key 0) split into the rows per chunk of its leading
       * length, like every other array of that length.
       */
      PCollection<KV<Long, ChunkData>> split(PCollection<KV<Long, ChunkData>> whole) {
        return whole
            .setCoder(Fns.KV_CODER)
            .apply(step() + "/values", org.apache.beam.sdk.transforms.Values.create())
            .setCoder(ChunkCoder.of())
            .apply(step() + "/split", ParDo.of(new Fns.SplitRows(rpc(outT()))));
      }

      void perChunk(Value v) {
        put(v.chunks().apply(step(), ParDo.of(new Fns.PerChunk(tag(), params, outT()))));
      }

      // ---------------------------------------------------------------- elementwise

      private Void elementwise() {
        String sink = s.fusion.sinkOf.get(n.id());
        if (n.id().equals(sink)) {
          fused(s.fusion.groups.get(sink));
        }
        return null;
      }

      @Override
      public Void unary(OpKind.UnaryFn fn) {
        return elementwise();
      }

      @Override
      public Void binary(OpKind.BinaryFn fn) {
        return elementwise();
      }

      @Override
      public Void where() {
        return elementwise();
      }

      @Override
      public Void clip() {
        return elementwise();
      }

      @Override
      public Void cast() {
        return elementwise();
      }

      /**
       * One {@code ParDo} for a fused group: the members run one after another on each chunk.
       * Operands from outside the group split like the output are joined by chunk index; the others
       * are singleton side inputs, broadcast to each chunk.
       */
      private void fused(List<Node> members) {
        TensorType t = outT();
        Shape out = t.shape();
        Map<String, Integer> index = new LinkedHashMap<>();
        ArrayList<String> fusedPaths = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
          index.put(members.get(m).id(), m);
          fusedPaths.add(s.path + members.get(m).id());
        }
        List<Value> ins = new ArrayList<>();
        int[][] operands = new int[members.size()][];
        List<Fns.Step> steps = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
          Node mn = members.get(m);
          List<String> ports = s.g.inputPorts(mn.id());
          operands[m] = new int[ports.size()];
          for (int k = 0; k < ports.size(); k++) {
            PortRef src = s.g.source(mn.id(), ports.get(k));
            Integer member = index.get(src.node());
            if (member != null) {
              operands[m][k] = -(member + 1);
            } else {
              operands[m][k] = ins.size();
              ins.add(s.values.get(src));
            }
          }
          steps.add(step(mn, s.types.get(new PortRef(mn.id(), Ops.OUT)).dtype()));
        }
        int[] role = new int[ins.size()]; // >= 0: joined operand; < 0: -(side index) - 1
        List<Value> joined = new ArrayList<>();
        List<PCollectionView<ChunkData>> sides = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
          Shape is = ins.get(i).type().shape();
          boolean aligned =
              is.rank() == out.rank()
                  && is.rank() > 0
                  && is.dim(0) == out.dim(0)
                  && out.dim(0) != 1;
          if (aligned) {
            role[i] = joined.size();
            joined.add(ins.get(i));
          } else {
            role[i] = -(sides.size()) - 1;
            sides.add(side(ins.get(i), step() + "/side" + i));
          }
        }
        Fns.Group group = new Fns.Group(steps, operands, role);
        Meter.Tag tag = new Meter.Tag(ex, path(), n.op(), fusedPaths);
        PCollection<KV<Long, ChunkData>> result;
        if (joined.isEmpty()) {
          // everything is small: computed once, keyed 0
          PCollection<KV<Long, ChunkData>> one =
              p.apply(
                  step() + "/one",
                  Create.of(KV.of(0L, ChunkData.of(Block.allocate(DType.BOOL, 1), Shape.SCALAR, 0)))
                      .withCoder(Fns.KV_CODER));
          result =
              split(
                  one.apply(
                      step(),
                      ParDo.of(new Fns.Apply(tag, group, sides, out, false))
                          .withSideInputs(sides)));
        } else if (joined.size() == 1) {
          result =
              joined
                  .get(0)
                  .chunks()
                  .apply(
                      step(),
                      ParDo.of(new Fns.Apply(tag, group, sides, out, true)).withSideInputs(sides));
        } else {
          KeyedPCollectionTuple<Long> tuple = null;
          List<TupleTag<ChunkData>> tags = new ArrayList<>();
          for (int i = 0; i < joined.size(); i++) {
            TupleTag<ChunkData> tt = new TupleTag<>("in" + i);
            tags.add(tt);
            tuple =
                tuple == null
                    ? KeyedPCollectionTuple.of(tt, joined.get(i).chunks())
                    : tuple.and(tt, joined.get(i).chunks());
          }
          result =
              tuple
                  .apply(step() + "/join", CoGroupByKey.create())
                  .apply(
                      step(),
                      ParDo.of(new Fns.ApplyJoined(tag, group, tags, sides, out))
                          .withSideInputs(sides));
        }
        put(result);
      }

      private Fns.Step step(Node m, DType out) {
        Map<String, Object> ps = s.g.params(m.id());
        return s.g
            .spec(m.id())
            .kind()
            .accept(
                new OpKind.ElementwiseVisitor<Fns.Step>() {
                  @Override
                  public Fns.Step unary(OpKind.UnaryFn fn) {
                    return new Fns.Step("unary", fn.name(), 0, 0, out);
                  }

                  @Override
                  public Fns.Step binary(OpKind.BinaryFn fn) {
                    return new Fns.Step("binary", fn.name(), 0, 0, out);
                  }

                  @Override
                  public Fns.Step where() {
                    return new Fns.Step("where", "", 0, 0, out);
                  }

                  @Override
                  public Fns.Step clip() {
                    return new Fns.Step(
                        "clip",
                        "",
                        (Double) ps.getOrDefault("min", Double.NEGATIVE_INFINITY),
                        (Double) ps.getOrDefault("max", Double.POSITIVE_INFINITY),
                        out);
                  }

                  @Override
                  public Fns.Step cast() {
                    return new Fns.Step("cast", "", 0, 0, out);
                  }
                });
      }

      // ---------------------------------------------------------------- reductions

      @Override
      public Void reduce(OpKind.ReduceFn fn) {
        Value v = in("x");
        Shape sh = v.type().shape();
        boolean[] red = WholeArray.axes(params.get("axis"), sh);
        if (!v.chunked()) {
          whole(List.of("x"));
        } else if (!red[0]) {
          perChunk(v);
        } else {
          int ddof = params.containsKey("ddof") ? ((Long) params.get("ddof")).intValue() : 0;
          put(
              v.chunks()
                  .apply(step() + "/partial", ParDo.of(new Fns.PartialOf(tag(), fn, red)))
                  .setCoder(Fns.PARTIAL_CODER)
                  .apply(
                      step(),
                      Combine.globally(new Fns.ReduceTree(tag(), ddof, outT())).withoutDefaults())
                  .setCoder(ChunkCoder.of())
                  .apply(step() + "/split", ParDo.of(new Fns.SplitRows(rpc(outT())))));
        }
        return null;
      }

      // ---------------------------------------------------------------- creation

      @Override
      public Void create(OpKind.CreateFn fn) {
        TensorType t = outT();
        long rpc = rpc(t);
        put(
            indices(step() + "/chunks", Fns.chunkCount(t.shape(), rpc))
                .apply(step(), ParDo.of(new Fns.CreateChunk(tag(), fn, params, t, rpc))));
        return null;
      }

      // ---------------------------------------------------------------- shape

      @Override
      public Void shape(OpKind.ShapeFn fn) {
        switch (fn) {
          case TRANSPOSE:
            if (!s.virtual.contains(n.id())) {
              whole(List.of("x"));
            } // else X.T is never built: its consumers sum per-chunk products
            return null;
          case RESHAPE:
          case SQUEEZE:
          case EXPAND_DIMS:
            {
              Value v = in("x");
              Shape o = outT().shape();
              Shape i = v.type().shape();
              if (v.chunked() && o.rank() > 0 && i.rank() > 0 && o.dim(0) == i.dim(0)) {
                perChunk(v);
              } else {
                whole(List.of("x"));
              }
              return null;
            }
          case SLICE:
          case CONCAT:
          case STACK:
            whole(s.g.inputPorts(n.id()));
            return null;
        }
        throw new IllegalStateException("unhandled " + fn);
      }

      // ---------------------------------------------------------------- linear algebra

      @Override
      public Void linalg(OpKind.LinalgFn fn) {
        if (fn == OpKind.LinalgFn.MATMUL || fn == OpKind.LinalgFn.DOT) {
          matmul(fn == OpKind.LinalgFn.DOT);
        } else {
          whole(s.g.inputPorts(n.id()));
        }
        return null;
      }

      private void matmul(boolean dot) {
        PortRef aSrc = s.g.source(n.id(), "a");
        Value b = in("b");
        TensorType t = outT();
        if (s.virtual.contains(aSrc.node())) {
          Value x = s.values.get(s.g.source(aSrc.node(), "x"));
          TupleTag<ChunkData> xt = new TupleTag<>("x");
          TupleTag<ChunkData> bt = new TupleTag<>("b");
          put(
              KeyedPCollectionTuple.of(xt, x.chunks())
                  .and(bt, b.chunks())
                  .apply(step() + "/join", CoGroupByKey.create())
                  .apply(step() + "/partial", ParDo.of(new Fns.TransposeProduct(tag(), xt, bt)))
                  .setCoder(Fns.KV_CODER)
                  .apply(step(), Combine.globally(new Fns.SumTree(tag(), t)).withoutDefaults())
                  .setCoder(ChunkCoder.of())
                  .apply(step() + "/split", ParDo.of(new Fns.SplitRows(rpc(outT())))));
          return;
        }
        Value a = s.values.get(aSrc);
        if (a.chunked() && a.type().shape().rank() < 2) {
          whole(List.of("a", "b")); // contracts over split rows: gathered
          return;
        }
        // the right operand is used whole by every chunk: gathered into one chunk, a side input
        PCollectionView<ChunkData> bv = side(b, step() + "/b");
        PCollection<KV<Long, ChunkData>> product =
            a.chunks()
                .apply(
                    step(),
                    ParDo.of(new Fns.Product(tag(), bv, t, dot, a.chunked())).withSideInputs(bv));
        if (!a.chunked()) {
          // one product of the whole: split like every array of the result's leading length
          product = split(product);
        }
        put(product);
      }

      // ---------------------------------------------------------------- sorting

      @Override
      public Void sort(OpKind.SortFn fn) {
        Value v = in("x");
        int axis = v.type().shape().normaliseAxis((Long) params.get("axis"));
        if (v.chunked() && axis != 0) {
          perChunk(v);
        } else {
          whole(List.of("x"));
        }
        return null;
      }

      // ---------------------------------------------------------------- files

      @Override
      public Void io(OpKind.IoFn fn) {
        String file = baseDir.resolve((String) params.get("path")).toAbsolutePath().toString();
        if (fn.isRead()) {
          s.values.put(
              new PortRef(n.id(), Ops.OUT),
              read(
                  path(),
                  n.op(),
                  step(),
                  file,
                  fn,
                  outT(),
                  Boolean.TRUE.equals(params.get("header")),
                  (String) params.getOrDefault("delimiter", ",")));
        } else {
          gather(in("x"), step() + "/gather")
              .apply(step(), ParDo.of(new Fns.WriteFile(tag(), fn, file)));
        }
        return null;
      }

      // ---------------------------------------------------------------- graph ports and bodies

      @Override
      public Void graphPort(OpKind.GraphPortFn fn) {
        String name = (String) params.get("name");
        if (fn == OpKind.GraphPortFn.INPUT) {
          Value v;
          if (s.provided == null) {
            Input in = inputs.get(name);
            v = read(path(), n.op(), step(), in.file(), in.format(), in.type(), false, ",");
          } else {
            v = s.provided.get(name);
          }
          s.values.put(new PortRef(n.id(), Ops.OUT), v);
        } else {
          s.outputs.put(name, in("x"));
        }
        return null;
      }

      @Override
      public Void control(OpKind.ControlFn fn) {
        TypedGraph body = s.g.body(n.id());
        String bodyPath = path() + "/";
        Map<String, Value> ins = new LinkedHashMap<>();
        Map<String, TensorType> inTypes = new LinkedHashMap<>();
        for (String port : s.g.inputPorts(n.id())) {
          ins.put(port, in(port));
          inTypes.put(port, in(port).type());
        }
        Map<PortRef, TensorType> bt = Planner.types(body, inTypes, baseDir, bodyPath, t -> {});
        Map<String, Value> outs;
        if (fn == OpKind.ControlFn.COMPOSITE) {
          outs = graph(body, bodyPath, s.step + n.id() + "/", ins, bt);
        } else if (driveLoops && s.path.isEmpty()) {
          outs = drive(loopPlan(body, bodyPath, ins, inTypes, bt));
        } else {
          outs = unroll(loopPlan(body, bodyPath, ins, inTypes, bt));
        }
        for (String o : s.g.outputPorts(n.id())) {
          s.values.put(new PortRef(n.id(), o), outs.get(o));
        }
        return null;
      }

      /**
       * A loop with a count, ready to run: its inputs split into carried state and fixed values,
       * and the body to repeat with its types. The loop-invariant part, when there is one, is
       * already lowered into the current pipeline, its results among the fixed values.
       */
      record LoopPlan(
          long count,
          List<String> carried,
          Map<String, Value> state,
          Map<String, Value> fixed,
          TypedGraph body,
          String bodyPath,
          Map<PortRef, TensorType> types) {}

      private LoopPlan loopPlan(
          TypedGraph body,
          String bodyPath,
          Map<String, Value> ins,
          Map<String, TensorType> inTypes,
          Map<PortRef, TensorType> bt) {
        long count = count(s.g, n);
        List<String> carried = s.g.carried(n.id());
        Map<String, Value> fixed = new LinkedHashMap<>();
        Map<String, Value> state = new LinkedHashMap<>();
        ins.forEach((k, v) -> (carried.contains(k) ? state : fixed).put(k, v));
        Optional<Hoist> h = count == 0 ? Optional.empty() : Hoist.plan(body, bt, carried);
        if (h.isEmpty()) {
          return new LoopPlan(count, carried, state, fixed, body, bodyPath, bt);
        }
        Map<String, Value> preIns = new LinkedHashMap<>();
        Map<String, TensorType> preTypes = new LinkedHashMap<>();
        for (Node pn : h.get().pre().graph().inputNodes()) {
          String name = (String) h.get().pre().params(pn.id()).get("name");
          preIns.put(name, fixed.get(name));
          preTypes.put(name, fixed.get(name).type());
        }
        Map<PortRef, TensorType> pt =
            Planner.types(h.get().pre(), preTypes, baseDir, bodyPath, t -> {});
        Map<String, Value> hoisted =
            graph(h.get().pre(), bodyPath, s.step + n.id() + "/pre/", preIns, pt);
        fixed.putAll(hoisted);
        Map<String, TensorType> bodyTypes = new LinkedHashMap<>(inTypes);
        hoisted.forEach((k, v) -> bodyTypes.put(k, v.type()));
        TypedGraph iter = h.get().body();
        return new LoopPlan(
            count,
            carried,
            state,
            fixed,
            iter,
            bodyPath,
            Planner.types(iter, bodyTypes, baseDir, bodyPath, t -> {}));
      }

      /**
       * A loop driven from the client: the pipeline so far runs, saving the loop's inputs and every
       * value still needed after the loop in the run folder; then each iteration runs as its own
       * pipeline, loading the state and saving the next; then a new pipeline loads what the rest of
       * the graph needs. Save and load tasks are measured as the loop node's work.
       */
      private Map<String, Value> drive(LoopPlan lp) {
        List<String> carried = lp.carried();
        Map<String, Value> fixed = lp.fixed();
        Map<String, Value> state = lp.state();
        Meter.Tag tag = tag();
        String base = s.step + n.id() + "/";
        Map<String, Saved> savedState = new LinkedHashMap<>();
        Map<String, Saved> savedFixed = new LinkedHashMap<>();
        Map<PortRef, Saved> savedLive = new LinkedHashMap<>();
        state.forEach((k, v) -> savedState.put(k, save(v, base + "in/" + k + "/save", tag)));
        fixed.forEach((k, v) -> savedFixed.put(k, save(v, base + "fixed/" + k + "/save", tag)));
        for (PortRef r : liveAfter()) {
          Value v = s.values.get(r);
          if (v != null) {
            savedLive.put(r, save(v, base + "live/" + r.node() + "/" + r.port() + "/save", tag));
          }
        }
        flush();
        for (long i = 0; i < lp.count(); i++) {
          long started = Meter.now();
          String at = base + i + "/";
          Map<String, Value> in = new LinkedHashMap<>();
          savedState.forEach((k, sv) -> in.put(k, load(sv, at + "state/" + k + "/load", tag)));
          savedFixed.forEach((k, sv) -> in.put(k, load(sv, at + "fixed/" + k + "/load", tag)));
          Map<String, Value> outs = graph(lp.body(), lp.bodyPath(), at, in, lp.types());
          for (String c : carried) {
            savedState.put(c, save(outs.get(c), at + "state/" + c + "/save", tag));
          }
          flush();
          Meter.recordIteration(tag, i, started);
        }
        s.values.clear(); // those of earlier pipelines: what is still needed is loaded below
        savedLive.forEach(
            (r, sv) ->
                s.values.put(
                    r, load(sv, base + "live/" + r.node() + "/" + r.port() + "/load", tag)));
        Map<String, Value> outs = new LinkedHashMap<>();
        savedState.forEach((k, sv) -> outs.put(k, load(sv, base + "out/" + k + "/load", tag)));
        return outs;
      }

      /**
       * The values that nodes after this one still read: their inputs, the outside inputs of the
       * fused groups they finish, and the arrays under virtual transposes they multiply by.
       */
      private java.util.Set<PortRef> liveAfter() {
        java.util.Set<PortRef> live = new java.util.LinkedHashSet<>();
        boolean after = false;
        for (Node m : s.g.order()) {
          if (m.id().equals(n.id())) {
            after = true;
            continue;
          }
          if (!after) {
            continue;
          }
          List<Node> group = s.fusion.groups.getOrDefault(m.id(), List.of(m));
          for (Node member : group) {
            for (String port : s.g.inputPorts(member.id())) {
              PortRef src = s.g.source(member.id(), port);
              if (s.virtual.contains(src.node())) {
                live.add(s.g.source(src.node(), "x"));
              } else {
                live.add(src);
              }
            }
          }
        }
        live.removeIf(r -> r.node().equals(n.id()));
        return live;
      }

      /** A loop with a count, unrolled: the invariant part once, then the body count times. */
      private Map<String, Value> unroll(LoopPlan lp) {
        List<String> carried = lp.carried();
        Map<String, Value> fixed = lp.fixed();
        Map<String, Value> state = lp.state();
        for (long i = 0; i < lp.count(); i++) {
          Map<String, Value> in = new LinkedHashMap<>(state);
          in.putAll(fixed);
          Map<String, Value> outs =
              graph(lp.body(), lp.bodyPath(), s.step + n.id() + "/" + i + "/", in, lp.types());
          for (String c : carried) {
            state.put(c, outs.get(c));
          }
        }
        return state;
      }
    }
  }
}
