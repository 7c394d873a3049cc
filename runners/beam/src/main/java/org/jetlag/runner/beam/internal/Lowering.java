package org.jetlag.runner.beam.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;
import org.jetlag.kernels.Block;
import org.jetlag.kernels.Creation;
import org.jetlag.kernels.Elementwise;
import org.jetlag.kernels.Linalg;
import org.jetlag.kernels.Reductions;
import org.jetlag.kernels.ShapeKernels;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.beam.ChunkCoder;
import org.jetlag.runner.beam.ChunkData;
import org.jetlag.runner.plan.Fusion;
import org.jetlag.runner.plan.VirtualTransposes;

/**
 * Builds the Beam pipeline of a graph: one value per output port, each a {@code PCollection} of
 * chunks keyed by their index along axis 0. Step names are {@code nodeId/op}.
 */
public final class Lowering {
  private static final Coder<KV<Long, ChunkData>> KV_CODER =
      KvCoder.of(VarLongCoder.of(), ChunkCoder.of());

  private Lowering() {}

  /** Diagnostics for the nodes this lowering cannot run yet. */
  public static List<Diagnostic> unsupported(TypedGraph g) {
    List<Diagnostic> out = new ArrayList<>();
    Map<PortRef, TensorType> declared = new LinkedHashMap<>();
    for (Node n : g.order()) {
      for (String port : g.outputPorts(n.id())) {
        declared.put(new PortRef(n.id(), port), g.type(new PortRef(n.id(), port)));
      }
    }
    java.util.Set<String> virtual = VirtualTransposes.of(g, declared);
    for (Node n : g.order()) {
      OpKind k = g.spec(n.id()).kind();
      boolean ok =
          k.isElementwise()
              || k instanceof OpKind.Reduce
              || k instanceof OpKind.Create
              || k instanceof OpKind.GraphPort
              || k.equals(new OpKind.Linalg(OpKind.LinalgFn.MATMUL))
              || k.equals(new OpKind.Linalg(OpKind.LinalgFn.DOT))
              || virtual.contains(n.id());
      if (!ok) {
        out.add(
            Diagnostic.error(
                "not-on-beam",
                n.id(),
                n.op(),
                null,
                "not supported on Beam yet (this first step lowers inputs, creation,"
                    + " elementwise ops, reductions and matrix products)"));
      }
    }
    return out;
  }

  /** A lowered value: its concrete type, rows per chunk and chunks. */
  private record Value(
      TensorType type, long rowsPerChunk, PCollection<KV<Long, ChunkData>> chunks) {
    boolean chunked() {
      return type.shape().rank() > 0 && type.shape().dim(0) > rowsPerChunk;
    }
  }

  /** Adds the graph's steps to {@code p}; outputs are collected for run {@code runId}. */
  public static void build(
      Pipeline p, TypedGraph g, Map<String, NdArray> inputs, long chunkBytes, String runId) {
    Map<PortRef, TensorType> types = concreteTypes(g, inputs);
    Map<Long, Long> maxRow = new LinkedHashMap<>();
    for (TensorType t : types.values()) {
      if (t.shape().rank() > 0) {
        long rb = Math.max(1, t.shape().rowSize()) * t.dtype().byteWidth();
        maxRow.merge(t.shape().dim(0), rb, Math::max);
      }
    }
    Map<Long, Long> rows = new LinkedHashMap<>();
    maxRow.forEach((n, rb) -> rows.put(n, Math.max(1, chunkBytes / rb)));
    Map<PortRef, Value> values = new LinkedHashMap<>();
    Fusion fusion = new Fusion(g, types);
    java.util.Set<String> virtual = VirtualTransposes.of(g, types);
    for (Node n : g.order()) {
      PortRef out = new PortRef(n.id(), Ops.OUT);
      TensorType t = types.get(out);
      long rpc = t == null || t.shape().rank() == 0 ? 1 : rows.getOrDefault(t.shape().dim(0), 1L);
      String step = n.id() + "/" + n.op();
      OpSpec spec = g.spec(n.id());
      OpKind kind = spec.kind();
      if (kind instanceof OpKind.GraphPort) {
        if (((OpKind.GraphPort) kind).fn() == OpKind.GraphPortFn.INPUT) {
          NdArray a = inputs.get((String) g.params(n.id()).get("name"));
          values.put(
              out, new Value(t, rpc, p.apply(step, Create.of(split(a, rpc)).withCoder(KV_CODER))));
        } else {
          Value v = values.get(g.source(n.id(), "x"));
          v.chunks()
              .apply(step, ParDo.of(new Collect(runId, (String) g.params(n.id()).get("name"))));
        }
      } else if (kind instanceof OpKind.Create) {
        OpKind.CreateFn fn = ((OpKind.Create) kind).fn();
        List<KV<Long, ChunkData>> chunks = new ArrayList<>();
        long rowSize = t.shape().rank() == 0 ? 1 : t.shape().rowSize();
        long total = t.shape().rank() == 0 ? 1 : t.shape().dim(0);
        for (long r0 = 0, i = 0; r0 < Math.max(total, 1); r0 += rpc, i++) {
          long len = t.shape().rank() == 0 ? 1 : Math.min(rpc, total - r0);
          Shape cs = t.shape().rank() == 0 ? t.shape() : t.shape().withDim(0, len);
          Block b = Block.allocate(t.dtype(), (int) (len * rowSize));
          Creation.fill(fn, g.params(n.id()), t, r0 * rowSize, b, b.length());
          chunks.add(KV.of(i, ChunkData.of(b, cs, t.shape().rank() == 0 ? 0 : r0)));
          if (total == 0) {
            break;
          }
        }
        values.put(out, new Value(t, rpc, p.apply(step, Create.of(chunks).withCoder(KV_CODER))));
      } else if (kind.isElementwise()) {
        String sink = fusion.sinkOf.get(n.id());
        if (n.id().equals(sink)) {
          values.put(out, elementwise(g, fusion.groups.get(sink), step, t, rpc, values));
        }
      } else if (kind instanceof OpKind.Reduce) {
        values.put(out, reduce(g, n, step, t, rpc, (OpKind.Reduce) kind, values));
      } else if (virtual.contains(n.id())) {
        continue; // X.T is never built: its consumers sum per-chunk products
      } else if (kind instanceof OpKind.Linalg) {
        values.put(out, matmul(g, n, step, t, rpc, values, virtual));
      } else {
        throw RunFailure.at(n.id(), n.op(), "not supported on Beam yet", null);
      }
    }
  }

  private static List<KV<Long, ChunkData>> split(NdArray a, long rpc) {
    Shape s = a.shape();
    double[] d = a.dtype().isFloating() ? a.toDoubles() : null;
    long[] l = a.dtype().isFloating() ? null : a.toLongs();
    List<KV<Long, ChunkData>> out = new ArrayList<>();
    if (s.rank() == 0) {
      out.add(KV.of(0L, ChunkData.of(block(a.dtype(), d, l, 0, 1), s, 0)));
      return out;
    }
    long rowSize = s.rowSize();
    long total = s.dim(0);
    long i = 0;
    for (long r0 = 0; r0 < Math.max(total, 1); r0 += rpc, i++) {
      long len = Math.min(rpc, total - r0);
      out.add(
          KV.of(
              i,
              ChunkData.of(
                  block(a.dtype(), d, l, (int) (r0 * rowSize), (int) (len * rowSize)),
                  s.withDim(0, len),
                  r0)));
      if (total == 0) {
        break;
      }
    }
    return out;
  }

  private static Block block(DType t, double[] d, long[] l, int from, int n) {
    return d != null
        ? Block.wrap(t, java.util.Arrays.copyOfRange(d, from, from + n))
        : Block.wrap(t, java.util.Arrays.copyOfRange(l, from, from + n));
  }

  // ------------------------------------------------------------------ elementwise

  /** What a fused-free elementwise step computes, in a serialisable form. */
  record Step(String kind, String fn, double lo, double hi, DType out) implements Serializable {
    Block apply(Block[] in, int n) {
      Block o = Block.allocate(out, n);
      switch (kind) {
        case "unary" -> Elementwise.unary(OpKind.UnaryFn.valueOf(fn), in[0], o, n);
        case "binary" -> Elementwise.binary(OpKind.BinaryFn.valueOf(fn), in[0], in[1], o, n);
        case "where" -> Elementwise.where(in[0], in[1], in[2], o, n);
        case "clip" -> Elementwise.clip(in[0], lo, hi, o, n);
        default -> Elementwise.cast(in[0], o, n);
      }
      return o;
    }
  }

  private static Step step(TypedGraph g, Node n, DType out) {
    Map<String, Object> params = g.params(n.id());
    return g.spec(n.id())
        .kind()
        .accept(
            new OpKind.ElementwiseVisitor<Step>() {
              @Override
              public Step unary(OpKind.UnaryFn fn) {
                return new Step("unary", fn.name(), 0, 0, out);
              }

              @Override
              public Step binary(OpKind.BinaryFn fn) {
                return new Step("binary", fn.name(), 0, 0, out);
              }

              @Override
              public Step where() {
                return new Step("where", "", 0, 0, out);
              }

              @Override
              public Step clip() {
                return new Step(
                    "clip",
                    "",
                    (Double) params.getOrDefault("min", Double.NEGATIVE_INFINITY),
                    (Double) params.getOrDefault("max", Double.POSITIVE_INFINITY),
                    out);
              }

              @Override
              public Step cast() {
                return new Step("cast", "", 0, 0, out);
              }
            });
  }

  /**
   * One {@code ParDo} for a fused group of elementwise nodes: the members run one after another on
   * each chunk. Operands from outside the group that are split like the output are joined by chunk
   * index; the others are singleton side inputs, broadcast to each chunk.
   */
  private static Value elementwise(
      TypedGraph g,
      List<Node> members,
      String step,
      TensorType t,
      long rpc,
      Map<PortRef, Value> values) {
    Shape out = t.shape();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int m = 0; m < members.size(); m++) {
      index.put(members.get(m).id(), m);
    }
    List<Value> ins = new ArrayList<>();
    int[][] operands = new int[members.size()][];
    List<Step> steps = new ArrayList<>();
    for (int m = 0; m < members.size(); m++) {
      Node n = members.get(m);
      List<String> ports = g.inputPorts(n.id());
      operands[m] = new int[ports.size()];
      for (int k = 0; k < ports.size(); k++) {
        PortRef src = g.source(n.id(), ports.get(k));
        Integer member = index.get(src.node());
        if (member != null) {
          operands[m][k] = -(member + 1);
        } else {
          operands[m][k] = ins.size();
          ins.add(values.get(src));
        }
      }
      steps.add(step(g, n, g.type(new PortRef(n.id(), Ops.OUT)).dtype()));
    }
    // Operands split like the output are joined by chunk index; the rest are side inputs.
    int[] role = new int[ins.size()]; // >= 0: joined operand index; < 0: -(side index) - 1
    List<Value> joined = new ArrayList<>();
    List<PCollectionView<ChunkData>> sides = new ArrayList<>();
    for (int i = 0; i < ins.size(); i++) {
      Shape s = ins.get(i).type().shape();
      boolean aligned =
          s.rank() == out.rank() && s.rank() > 0 && s.dim(0) == out.dim(0) && out.dim(0) != 1;
      if (aligned) {
        role[i] = joined.size();
        joined.add(ins.get(i));
      } else {
        role[i] = -(sides.size()) - 1;
        sides.add(
            ins.get(i)
                .chunks()
                .apply(step + "/side" + i + "/values", Values.create())
                .apply(step + "/side" + i + "/view", View.asSingleton()));
      }
    }
    Group group = new Group(steps, operands, role);
    PCollection<KV<Long, ChunkData>> result;
    if (joined.isEmpty()) {
      // everything is small: compute once, keyed 0
      PCollection<KV<Long, ChunkData>> one =
          ins.get(0)
              .chunks()
              .getPipeline()
              .apply(
                  step + "/one",
                  Create.of(KV.of(0L, ChunkData.of(Block.allocate(DType.BOOL, 1), Shape.SCALAR, 0)))
                      .withCoder(KV_CODER));
      result =
          one.apply(step, ParDo.of(new Apply(group, sides, out, false)).withSideInputs(sides))
              .setCoder(KV_CODER);
    } else if (joined.size() == 1) {
      result =
          joined
              .get(0)
              .chunks()
              .apply(step, ParDo.of(new Apply(group, sides, out, true)).withSideInputs(sides))
              .setCoder(KV_CODER);
    } else {
      KeyedPCollectionTuple<Long> tuple = null;
      List<TupleTag<ChunkData>> tags = new ArrayList<>();
      for (int i = 0; i < joined.size(); i++) {
        TupleTag<ChunkData> tag = new TupleTag<>("in" + i);
        tags.add(tag);
        tuple =
            tuple == null
                ? KeyedPCollectionTuple.of(tag, joined.get(i).chunks())
                : tuple.and(tag, joined.get(i).chunks());
      }
      result =
          tuple
              .apply(step + "/join", CoGroupByKey.create())
              .apply(step, ParDo.of(new ApplyJoined(group, tags, sides, out)).withSideInputs(sides))
              .setCoder(KV_CODER);
    }
    return new Value(t, rpc, result);
  }

  /** A fused group in serialisable form: the members' steps and where their operands come from. */
  record Group(List<Step> steps, int[][] operands, int[] role) implements Serializable {
    Group {
      steps = List.copyOf(steps);
    }

    /** Runs every member on one chunk and returns the last member's result. */
    Block run(List<ChunkData> joined, List<ChunkData> sides, Shape chunkShape) {
      Block[] ext = new Block[role.length];
      for (int i = 0; i < role.length; i++) {
        ChunkData c = role[i] >= 0 ? joined.get(role[i]) : sides.get(-role[i] - 1);
        Block b = c.toBlock();
        ext[i] =
            c.shape().equals(chunkShape) || b.length() == 1
                ? b
                : ShapeKernels.broadcastTo(b, c.shape(), chunkShape);
      }
      int n = Math.toIntExact(chunkShape.knownSize());
      Block[] res = new Block[steps.size()];
      for (int m = 0; m < steps.size(); m++) {
        Block[] in = new Block[operands[m].length];
        for (int k = 0; k < in.length; k++) {
          int o = operands[m][k];
          in[k] = o >= 0 ? ext[o] : res[-o - 1];
        }
        res[m] = steps.get(m).apply(in, n);
      }
      return res[res.length - 1];
    }
  }

  /** Applies a fused group to the chunks of one joined operand (or once, for small outputs). */
  static final class Apply extends DoFn<KV<Long, ChunkData>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final Group group;
    private final List<PCollectionView<ChunkData>> sides;
    private final ArrayList<Long> outDims = new ArrayList<>();
    private final boolean chunked;

    Apply(Group group, List<PCollectionView<ChunkData>> sides, Shape out, boolean chunked) {
      this.group = group;
      this.sides = List.copyOf(sides);
      outDims.addAll(out.toList());
      this.chunked = chunked;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Shape out = Shape.of(outDims);
      List<ChunkData> sideData = new ArrayList<>();
      for (PCollectionView<ChunkData> v : sides) {
        sideData.add(c.sideInput(v));
      }
      ChunkData main = c.element().getValue();
      Shape chunkShape = chunked && out.rank() > 0 ? out.withDim(0, main.shape().dim(0)) : out;
      Block r = group.run(chunked ? List.of(main) : List.of(), sideData, chunkShape);
      c.output(
          KV.of(c.element().getKey(), ChunkData.of(r, chunkShape, chunked ? main.rowStart() : 0)));
    }
  }

  /** Applies a fused group to chunks of several operands joined by chunk index. */
  static final class ApplyJoined extends DoFn<KV<Long, CoGbkResult>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final Group group;
    private final List<TupleTag<ChunkData>> tags;
    private final List<PCollectionView<ChunkData>> sides;
    private final ArrayList<Long> outDims = new ArrayList<>();

    ApplyJoined(
        Group group,
        List<TupleTag<ChunkData>> tags,
        List<PCollectionView<ChunkData>> sides,
        Shape out) {
      this.group = group;
      this.tags = List.copyOf(tags);
      this.sides = List.copyOf(sides);
      outDims.addAll(out.toList());
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Shape out = Shape.of(outDims);
      List<ChunkData> joined = new ArrayList<>();
      for (TupleTag<ChunkData> t : tags) {
        joined.add(c.element().getValue().getOnly(t));
      }
      List<ChunkData> sideData = new ArrayList<>();
      for (PCollectionView<ChunkData> v : sides) {
        sideData.add(c.sideInput(v));
      }
      ChunkData first = joined.get(0);
      Shape chunkShape = out.withDim(0, first.shape().dim(0));
      Block r = group.run(joined, sideData, chunkShape);
      c.output(KV.of(c.element().getKey(), ChunkData.of(r, chunkShape, first.rowStart())));
    }
  }

  // ------------------------------------------------------------------ matrix products

  private static Value matmul(
      TypedGraph g,
      Node n,
      String step,
      TensorType t,
      long rpc,
      Map<PortRef, Value> values,
      java.util.Set<String> virtual) {
    PortRef aSrc = g.source(n.id(), "a");
    Value b = values.get(g.source(n.id(), "b"));
    boolean dot = n.op().equals("dot");
    if (virtual.contains(aSrc.node())) {
      Value x = values.get(g.source(aSrc.node(), "x"));
      TupleTag<ChunkData> xt = new TupleTag<>("x");
      TupleTag<ChunkData> bt = new TupleTag<>("b");
      PCollection<KV<Long, ChunkData>> sum =
          KeyedPCollectionTuple.of(xt, x.chunks())
              .and(bt, b.chunks())
              .apply(step + "/join", CoGroupByKey.create())
              .apply(step + "/partial", ParDo.of(new TransposeProduct(xt, bt)))
              .setCoder(KV_CODER)
              .apply(step + "/chunks", Values.create())
              .setCoder(ChunkCoder.of())
              .apply(
                  step,
                  Combine.globally(new SumTree(t.dtype(), t.shape().toList())).withoutDefaults())
              .setCoder(ChunkCoder.of())
              .apply(step + "/key", ParDo.of(new KeyZero()))
              .setCoder(KV_CODER);
      return new Value(t, rpc, sum);
    }
    Value a = values.get(aSrc);
    if (a.chunked() && a.type().shape().rank() < 2) {
      throw RunFailure.at(
          n.id(),
          n.op(),
          "not supported on Beam yet: a product that contracts over chunked rows",
          null);
    }
    // the right operand is used whole by every chunk: gathered into one chunk, a side input
    PCollectionView<ChunkData> bv =
        b.chunks()
            .apply(step + "/b/values", Values.create())
            .setCoder(ChunkCoder.of())
            .apply(step + "/b/gather", Combine.globally(new Gather()).withoutDefaults())
            .setCoder(ChunkCoder.of())
            .apply(step + "/b/view", View.asSingleton());
    ArrayList<Long> outDims = new ArrayList<>(t.shape().toList());
    PCollection<KV<Long, ChunkData>> r =
        a.chunks()
            .apply(
                step,
                ParDo.of(new Product(bv, outDims, t.dtype(), dot, a.chunked())).withSideInputs(bv))
            .setCoder(KV_CODER);
    return new Value(t, rpc, r);
  }

  private static double[] doubles(ChunkData c) {
    Block b = c.toBlock();
    if (b.doubles() != null) {
      return b.doubles();
    }
    double[] d = new double[b.length()];
    for (int i = 0; i < d.length; i++) {
      d[i] = b.getAsDouble(i);
    }
    return d;
  }

  /**
   * A combine that collects an array's chunks keyed by first row, then finishes them in row order:
   * the order of the work never depends on how Beam grouped the inputs.
   */
  abstract static class ByRow
      extends Combine.CombineFn<ChunkData, Map<Long, ChunkData>, ChunkData> {
    private static final long serialVersionUID = 1L;

    /** The result from the chunks in row order. */
    abstract ChunkData finish(List<ChunkData> ordered);

    @Override
    public Map<Long, ChunkData> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public Map<Long, ChunkData> addInput(Map<Long, ChunkData> acc, ChunkData c) {
      Map<Long, ChunkData> m = new TreeMap<>(acc);
      m.put(c.rowStart(), c);
      return m;
    }

    @Override
    public Map<Long, ChunkData> mergeAccumulators(Iterable<Map<Long, ChunkData>> accs) {
      Map<Long, ChunkData> m = new TreeMap<>();
      for (Map<Long, ChunkData> a : accs) {
        m.putAll(a);
      }
      return m;
    }

    @Override
    public ChunkData extractOutput(Map<Long, ChunkData> acc) {
      return finish(new ArrayList<>(new TreeMap<>(acc).values()));
    }

    @Override
    public Coder<Map<Long, ChunkData>> getAccumulatorCoder(
        CoderRegistry registry, Coder<ChunkData> input) {
      return MapCoder.of(VarLongCoder.of(), ChunkCoder.of());
    }

    @Override
    public Coder<ChunkData> getDefaultOutputCoder(CoderRegistry registry, Coder<ChunkData> input) {
      return ChunkCoder.of();
    }
  }

  /** Concatenates the chunks of an array (by first row) into one chunk. */
  static final class Gather extends ByRow {
    private static final long serialVersionUID = 1L;

    @Override
    ChunkData finish(List<ChunkData> parts) {
      if (parts.size() == 1) {
        return parts.get(0);
      }
      ChunkData first = parts.get(0);
      long rows = 0;
      int n = 0;
      for (ChunkData c : parts) {
        rows += c.shape().dim(0);
        n += Math.toIntExact(c.shape().knownSize());
      }
      Block all = Block.allocate(first.dtype(), n);
      int at = 0;
      for (ChunkData c : parts) {
        Block b = c.toBlock();
        for (int i = 0; i < b.length(); i++, at++) {
          if (all.dtype().isFloating()) {
            all.setDouble(at, b.getAsDouble(i));
          } else {
            all.setLong(at, b.getAsLong(i));
          }
        }
      }
      return ChunkData.of(all, first.shape().withDim(0, rows), 0);
    }
  }

  /** {@code X_i.T @ B_i} for one chunk index: a k×m partial sum, keyed by the chunk index. */
  static final class TransposeProduct extends DoFn<KV<Long, CoGbkResult>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<ChunkData> xt;
    private final TupleTag<ChunkData> bt;

    TransposeProduct(TupleTag<ChunkData> xt, TupleTag<ChunkData> bt) {
      this.xt = xt;
      this.bt = bt;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      ChunkData x = c.element().getValue().getOnly(xt);
      ChunkData b = c.element().getValue().getOnly(bt);
      int rows = (int) x.shape().dim(0);
      int k = (int) x.shape().dim(1);
      int m = b.shape().rank() == 1 ? 1 : (int) b.shape().dim(1);
      double[] acc = new double[k * m];
      Linalg.transposeMatmul(doubles(x), rows, k, doubles(b), m, acc);
      // keyed and labelled by chunk index, so the sum can follow the local runner's tree
      long index = c.element().getKey();
      c.output(
          KV.of(index, ChunkData.of(Block.wrap(DType.FLOAT64, acc), Shape.of(acc.length), index)));
    }
  }

  /**
   * Sums the per-chunk products in the same balanced tree over chunk index as the local runner,
   * then converts to the result dtype and shape.
   */
  static final class SumTree extends ByRow {
    private static final long serialVersionUID = 1L;
    private final DType out;
    private final ArrayList<Long> dims;

    SumTree(DType out, List<Long> dims) {
      this.out = out;
      this.dims = new ArrayList<>(dims);
    }

    @Override
    ChunkData finish(List<ChunkData> ordered) {
      List<double[]> parts = new ArrayList<>();
      for (ChunkData c : ordered) {
        parts.add(doubles(c));
      }
      double[] total = tree(parts, 0, parts.size());
      Block r = Block.wrap(DType.FLOAT64, total);
      if (out != DType.FLOAT64) {
        Block o = Block.allocate(out, total.length);
        Elementwise.cast(r, o, total.length);
        r = o;
      }
      return ChunkData.of(r, Shape.of(dims), 0);
    }

    private static double[] tree(List<double[]> p, int lo, int hi) {
      if (hi <= lo) {
        throw new IllegalStateException("a product received no chunks");
      }
      if (hi - lo == 1) {
        return p.get(lo);
      }
      int mid = (lo + hi) >>> 1;
      double[] a = tree(p, lo, mid);
      double[] b = tree(p, mid, hi);
      double[] s = new double[a.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = a[i] + b[i];
      }
      return s;
    }
  }

  /** {@code a @ b} for each chunk of {@code a} (rows are independent), {@code b} a side input. */
  static final class Product extends DoFn<KV<Long, ChunkData>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<ChunkData> b;
    private final ArrayList<Long> outDims;
    private final DType out;
    private final boolean dot;
    private final boolean chunked;

    Product(
        PCollectionView<ChunkData> b,
        ArrayList<Long> outDims,
        DType out,
        boolean dot,
        boolean chunked) {
      this.b = b;
      this.outDims = new ArrayList<>(outDims);
      this.out = out;
      this.dot = dot;
      this.chunked = chunked;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      ChunkData a = c.element().getValue();
      ChunkData bd = c.sideInput(b);
      Block r =
          dot
              ? Linalg.dot(a.toBlock(), a.shape(), bd.toBlock(), bd.shape())
              : Linalg.matmul(a.toBlock(), a.shape(), bd.toBlock(), bd.shape());
      if (r.dtype() != out) {
        Block o = Block.allocate(out, r.length());
        Elementwise.cast(r, o, r.length());
        r = o;
      }
      Shape full = Shape.of(outDims);
      Shape cs = chunked && full.rank() > 0 ? full.withDim(0, a.shape().dim(0)) : full;
      c.output(KV.of(c.element().getKey(), ChunkData.of(r, cs, chunked ? a.rowStart() : 0)));
    }
  }

  // ------------------------------------------------------------------ reductions

  private static Value reduce(
      TypedGraph g,
      Node n,
      String step,
      TensorType t,
      long rpc,
      OpKind.Reduce kind,
      Map<PortRef, Value> values) {
    Value in = values.get(g.source(n.id(), "x"));
    Shape s = in.type().shape();
    boolean[] red = new boolean[s.rank()];
    Object ax = g.params(n.id()).get("axis");
    if (ax == null) {
      java.util.Arrays.fill(red, true);
    } else if (ax instanceof Long) {
      red[s.normaliseAxis((Long) ax)] = true;
    } else {
      for (Object a : (List<?>) ax) {
        red[s.normaliseAxis((Long) a)] = true;
      }
    }
    int ddof =
        g.params(n.id()).containsKey("ddof") ? ((Long) g.params(n.id()).get("ddof")).intValue() : 0;
    ArrayList<Long> outDims = new ArrayList<>(t.shape().toList());
    PCollection<KV<Long, ChunkData>> chunks;
    if (s.rank() > 0 && !red[0] && in.chunked()) {
      chunks =
          in.chunks()
              .apply(step, ParDo.of(new ReducePerChunk(kind.fn(), red, ddof, outDims)))
              .setCoder(KV_CODER);
    } else {
      chunks =
          in.chunks()
              .apply(step + "/chunks", Values.create())
              .setCoder(ChunkCoder.of())
              // every array has at least one chunk (an empty one has a chunk of no rows), so
              // the combine never needs a default for an empty input
              .apply(
                  step,
                  Combine.globally(new ReduceAll(kind.fn(), red, ddof, outDims)).withoutDefaults())
              .setCoder(ChunkCoder.of())
              .apply(step + "/key", ParDo.of(new KeyZero()))
              .setCoder(KV_CODER);
    }
    return new Value(t, rpc, chunks);
  }

  /** Keys a single result chunk as chunk 0. */
  static final class KeyZero extends DoFn<ChunkData, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element ChunkData d, OutputReceiver<KV<Long, ChunkData>> out) {
      out.output(KV.of(0L, d));
    }
  }

  /** A reduction that keeps axis 0: each chunk reduces on its own. */
  static final class ReducePerChunk extends DoFn<KV<Long, ChunkData>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final OpKind.ReduceFn fn;
    private final boolean[] red;
    private final int ddof;
    private final ArrayList<Long> outDims;

    ReducePerChunk(OpKind.ReduceFn fn, boolean[] red, int ddof, ArrayList<Long> outDims) {
      this.fn = fn;
      this.red = red.clone();
      this.ddof = ddof;
      this.outDims = new ArrayList<>(outDims);
    }

    @ProcessElement
    public void process(@Element KV<Long, ChunkData> e, OutputReceiver<KV<Long, ChunkData>> out) {
      ChunkData c = e.getValue();
      Block r = Reductions.reduce(fn, c.toBlock(), c.shape(), red, ddof);
      Shape cs = Shape.of(outDims).withDim(0, c.shape().dim(0));
      out.output(KV.of(e.getKey(), ChunkData.of(r, cs, c.rowStart())));
    }
  }

  /**
   * A reduction over axis 0: gathers the chunks (keyed by first row), then combines their partials
   * in the same balanced tree over chunk index as the local runner, so both runners give the same
   * bits.
   */
  static final class ReduceAll extends ByRow {
    private static final long serialVersionUID = 1L;
    private final OpKind.ReduceFn fn;
    private final boolean[] red;
    private final int ddof;
    private final ArrayList<Long> outDims;

    ReduceAll(OpKind.ReduceFn fn, boolean[] red, int ddof, ArrayList<Long> outDims) {
      this.fn = fn;
      this.red = red.clone();
      this.ddof = ddof;
      this.outDims = new ArrayList<>(outDims);
    }

    @Override
    ChunkData finish(List<ChunkData> ordered) {
      List<Reductions.Partial> parts = new ArrayList<>();
      for (ChunkData c : ordered) {
        parts.add(Reductions.partial(fn, c.toBlock(), c.shape(), red, c.rowStart()));
      }
      Reductions.Partial total = tree(parts, 0, parts.size());
      Shape out = Shape.of(outDims);
      return ChunkData.of(Reductions.finish(total, ddof), out, 0);
    }

    private static Reductions.Partial tree(List<Reductions.Partial> p, int lo, int hi) {
      if (hi <= lo) {
        throw new IllegalStateException("a reduction received no chunks");
      }
      if (hi - lo == 1) {
        return p.get(lo);
      }
      int mid = (lo + hi) >>> 1;
      return Reductions.combine(tree(p, lo, mid), tree(p, mid, hi));
    }
  }

  // ------------------------------------------------------------------ outputs and types

  /** Collects the chunks of a graph output for the driver (the DirectRunner runs in-process). */
  static final class Collect extends DoFn<KV<Long, ChunkData>, Void> {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final String name;

    Collect(String runId, String name) {
      this.runId = runId;
      this.name = name;
    }

    @ProcessElement
    public void process(@Element KV<Long, ChunkData> e) {
      Outputs.put(runId, name, e.getValue());
    }
  }

  /** Concrete types of every output port, from the input arrays' shapes. */
  static Map<PortRef, TensorType> concreteTypes(TypedGraph g, Map<String, NdArray> inputs) {
    Map<PortRef, TensorType> types = new LinkedHashMap<>();
    for (Node n : g.order()) {
      OpSpec spec = g.spec(n.id());
      if (spec.kind().equals(new OpKind.GraphPort(OpKind.GraphPortFn.INPUT))) {
        NdArray a = inputs.get((String) g.params(n.id()).get("name"));
        types.put(new PortRef(n.id(), Ops.OUT), a.type());
        continue;
      }
      Map<String, TensorType> ins = new LinkedHashMap<>();
      for (String port : g.inputPorts(n.id())) {
        ins.put(port, types.get(g.source(n.id(), port)));
      }
      List<TensorType> outs = spec.infer(g.params(n.id()), ins);
      List<String> ports = g.outputPorts(n.id());
      for (int i = 0; i < ports.size(); i++) {
        types.put(new PortRef(n.id(), ports.get(i)), outs.get(i));
      }
    }
    return types;
  }

  /** The shape of an output assembled from chunks (its unknown leading length filled in). */
  public static Shape concreteShape(List<Chunk> chunks, Shape declared) {
    if (declared.rank() == 0) {
      return declared;
    }
    long rows = 0;
    for (Chunk c : chunks) {
      rows += c.rows();
    }
    return chunks.get(0).shape().withDim(0, rows);
  }
}
