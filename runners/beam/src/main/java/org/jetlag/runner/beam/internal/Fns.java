package org.jetlag.runner.beam.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.CsvFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.Ops;
import org.jetlag.kernels.Block;
import org.jetlag.kernels.Creation;
import org.jetlag.kernels.Elementwise;
import org.jetlag.kernels.Linalg;
import org.jetlag.kernels.Reductions;
import org.jetlag.kernels.ShapeKernels;
import org.jetlag.kernels.WholeArray;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.beam.ChunkCoder;
import org.jetlag.runner.beam.ChunkData;

/**
 * The Beam steps of a lowered graph. Each is serialisable, computes with the shared kernels, and
 * records a span per task through {@link Meter}. A failure names the node.
 */
final class Fns {
  static final Coder<KV<Long, ChunkData>> KV_CODER = KvCoder.of(VarLongCoder.of(), ChunkCoder.of());
  static final Coder<KV<Long, byte[]>> PARTIAL_CODER =
      KvCoder.of(VarLongCoder.of(), ByteArrayCoder.of());

  private Fns() {}

  /** A step that records its tasks and writes its spans at the end of each bundle. */
  abstract static class Timed<I, O> extends DoFn<I, O> {
    private static final long serialVersionUID = 1L;
    final Meter.Tag tag;

    Timed(Meter.Tag tag) {
      this.tag = tag;
    }

    @FinishBundle
    public void flushSpans() {
      Meter.flush(tag.exchange());
    }

    RuntimeException failure(Throwable e) {
      if (e instanceof RunFailure) {
        return (RunFailure) e;
      }
      return RunFailure.at(tag.path(), tag.op(), String.valueOf(e.getMessage()), e);
    }
  }

  static long elements(ChunkData c) {
    return c.shape().knownSize();
  }

  /** Splits a whole array into chunks of {@code rpc} rows (rank 0: one chunk). */
  static List<KV<Long, ChunkData>> split(Block b, Shape s, long rpc) {
    List<KV<Long, ChunkData>> out = new ArrayList<>();
    if (s.rank() == 0) {
      out.add(KV.of(0L, ChunkData.of(b, s, 0)));
      return out;
    }
    long rowSize = s.rowSize();
    long total = s.dim(0);
    long i = 0;
    for (long r0 = 0; r0 < Math.max(total, 1); r0 += rpc, i++) {
      long len = Math.min(rpc, total - r0);
      int from = Math.toIntExact(r0 * rowSize);
      int n = Math.toIntExact(len * rowSize);
      Block part =
          b.dtype().isFloating()
              ? Block.wrap(b.dtype(), java.util.Arrays.copyOfRange(b.doubles(), from, from + n))
              : Block.wrap(b.dtype(), java.util.Arrays.copyOfRange(b.longs(), from, from + n));
      out.add(KV.of(i, ChunkData.of(part, s.withDim(0, len), r0)));
      if (total == 0) {
        break;
      }
    }
    return out;
  }

  /** The number of chunks of an array of shape {@code s} at {@code rpc} rows each. */
  static long chunkCount(Shape s, long rpc) {
    if (s.rank() == 0 || s.dim(0) == 0) {
      return 1;
    }
    return (s.dim(0) + rpc - 1) / rpc;
  }

  // ------------------------------------------------------------------ sources

  /** Generates chunk {@code i} of a creation op (random numbers are counter-based). */
  static final class CreateChunk extends Timed<Long, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final OpKind.CreateFn fn;
    private final HashMap<String, Object> params;
    private final TensorType type;
    private final long rpc;

    CreateChunk(
        Meter.Tag tag, OpKind.CreateFn fn, Map<String, Object> params, TensorType type, long rpc) {
      super(tag);
      this.fn = fn;
      this.params = new HashMap<>(params);
      this.type = type;
      this.rpc = rpc;
    }

    @ProcessElement
    public void process(@Element Long i, OutputReceiver<KV<Long, ChunkData>> out) {
      long t0 = Meter.now();
      try {
        Shape s = type.shape();
        boolean scalar = s.rank() == 0;
        long rowSize = scalar ? 1 : s.rowSize();
        long r0 = scalar ? 0 : i * rpc;
        long len = scalar ? 1 : Math.min(rpc, s.dim(0) - r0);
        Shape cs = scalar ? s : s.withDim(0, len);
        Block b = Block.allocate(type.dtype(), Math.toIntExact(len * rowSize));
        Creation.fill(fn, params, type, r0 * rowSize, b, b.length());
        ChunkData c = ChunkData.of(b, cs, r0);
        Meter.record(tag, i, t0, 0, elements(c), 0, c.byteSize());
        out.output(KV.of(i, c));
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  /** Reads the rows of chunk {@code i} of a .npy file: each worker reads only its own rows. */
  static final class ReadNpyRows extends Timed<Long, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long rpc;
    private transient BufferAllocator alloc;

    ReadNpyRows(Meter.Tag tag, String file, long rpc) {
      super(tag);
      this.file = file;
      this.rpc = rpc;
    }

    @Setup
    public void setup() {
      alloc = Allocators.root(Long.MAX_VALUE);
    }

    @Teardown
    public void teardown() {
      if (alloc != null) {
        alloc.close();
      }
    }

    @ProcessElement
    public void process(@Element Long i, OutputReceiver<KV<Long, ChunkData>> out) {
      long t0 = Meter.now();
      try (Chunk c = NpyFiles.readRows(Paths.get(file), alloc, i * rpc, rpc)) {
        ChunkData d = ChunkData.of(c);
        Meter.record(tag, i, t0, 0, elements(d), d.byteSize(), d.byteSize());
        out.output(KV.of(i, d));
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  /** Reads a whole file (Arrow IPC, CSV, or a scalar .npy) and splits it into chunks. */
  static final class ReadWhole extends Timed<Long, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final OpKind.IoFn fn;
    private final TensorType type;
    private final boolean header;
    private final String delimiter;
    private final long rpc;

    ReadWhole(
        Meter.Tag tag,
        String file,
        OpKind.IoFn fn,
        TensorType type,
        boolean header,
        String delimiter,
        long rpc) {
      super(tag);
      this.file = file;
      this.fn = fn;
      this.type = type;
      this.header = header;
      this.delimiter = delimiter;
      this.rpc = rpc;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<Long, ChunkData>> out) {
      long t0 = Meter.now();
      try (BufferAllocator alloc = Allocators.root(Long.MAX_VALUE)) {
        java.nio.file.Path p = Paths.get(file);
        Block b;
        try (NdArray a =
            switch (fn) {
              case READ_ARROW -> ArrowFiles.read(p, alloc);
              case READ_NPY -> NpyFiles.read(p, alloc, Long.MAX_VALUE);
              default -> CsvFiles.read(p, alloc, type.dtype(), header, delimiter.charAt(0));
            }) {
          if (a.size() != type.shape().knownSize() || a.dtype() != type.dtype()) {
            throw new org.jetlag.arrow.ArrayFileException(
                p, "expected " + type + ", got " + a.type());
          }
          b =
              type.dtype().isFloating()
                  ? Block.wrap(type.dtype(), a.toDoubles())
                  : Block.wrap(type.dtype(), a.toLongs());
        }
        List<KV<Long, ChunkData>> chunks = split(b, type.shape(), rpc);
        long bytes = 0;
        for (KV<Long, ChunkData> kv : chunks) {
          bytes += kv.getValue().byteSize();
        }
        // recorded before emitting: steps chained after this one run inside output()
        Meter.record(tag, -1, t0, 0, b.length(), bytes, bytes);
        chunks.forEach(out::output);
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  // ------------------------------------------------------------------ elementwise

  /** What a fused elementwise step computes, in a serialisable form. */
  record Step(String kind, String fn, double lo, double hi, DType out)
      implements java.io.Serializable {
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

  /** A fused group: the members' steps and where their operands come from. */
  record Group(List<Step> steps, int[][] operands, int[] role) implements java.io.Serializable {
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
  static final class Apply extends Timed<KV<Long, ChunkData>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final Group group;
    private final List<PCollectionView<ChunkData>> sides;
    private final Shape out;
    private final boolean chunked;

    Apply(
        Meter.Tag tag,
        Group group,
        List<PCollectionView<ChunkData>> sides,
        Shape out,
        boolean chunked) {
      super(tag);
      this.group = group;
      this.sides = List.copyOf(sides);
      this.out = out;
      this.chunked = chunked;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long t0 = Meter.now();
      try {
        List<ChunkData> sideData = new ArrayList<>();
        long in = 0;
        for (PCollectionView<ChunkData> v : sides) {
          ChunkData s = c.sideInput(v);
          sideData.add(s);
          in += s.byteSize();
        }
        ChunkData main = c.element().getValue();
        Shape chunkShape = chunked && out.rank() > 0 ? out.withDim(0, main.shape().dim(0)) : out;
        Block r = group.run(chunked ? List.of(main) : List.of(), sideData, chunkShape);
        ChunkData o = ChunkData.of(r, chunkShape, chunked ? main.rowStart() : 0);
        long el = chunked ? elements(main) : 0;
        in += chunked ? main.byteSize() : 0;
        Meter.record(
            tag, chunked ? c.element().getKey() : -1, t0, el, elements(o), in, o.byteSize());
        c.output(KV.of(c.element().getKey(), o));
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  /** Applies a fused group to chunks of several operands joined by chunk index. */
  static final class ApplyJoined extends Timed<KV<Long, CoGbkResult>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final Group group;
    private final List<TupleTag<ChunkData>> tags;
    private final List<PCollectionView<ChunkData>> sides;
    private final Shape out;

    ApplyJoined(
        Meter.Tag tag,
        Group group,
        List<TupleTag<ChunkData>> tags,
        List<PCollectionView<ChunkData>> sides,
        Shape out) {
      super(tag);
      this.group = group;
      this.tags = List.copyOf(tags);
      this.sides = List.copyOf(sides);
      this.out = out;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long t0 = Meter.now();
      try {
        List<ChunkData> joined = new ArrayList<>();
        long el = 0;
        long in = 0;
        for (TupleTag<ChunkData> t : tags) {
          ChunkData d = c.element().getValue().getOnly(t);
          joined.add(d);
          el += elements(d);
          in += d.byteSize();
        }
        List<ChunkData> sideData = new ArrayList<>();
        for (PCollectionView<ChunkData> v : sides) {
          ChunkData s = c.sideInput(v);
          sideData.add(s);
          in += s.byteSize();
        }
        ChunkData first = joined.get(0);
        Shape chunkShape = out.withDim(0, first.shape().dim(0));
        Block r = group.run(joined, sideData, chunkShape);
        ChunkData o = ChunkData.of(r, chunkShape, first.rowStart());
        Meter.record(tag, c.element().getKey(), t0, el, elements(o), in, o.byteSize());
        c.output(KV.of(c.element().getKey(), o));
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  // ------------------------------------------------------------------ whole arrays and per chunk

  /**
   * A node computed on whole arrays: the first input arrives gathered, the others as side inputs;
   * the result is split into chunks of {@code rpc} rows.
   */
  static final class WholeOp extends Timed<ChunkData, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, Object> params;
    private final List<PCollectionView<ChunkData>> sides;
    private final TensorType out;
    private final long rpc;

    WholeOp(
        Meter.Tag tag,
        Map<String, Object> params,
        List<PCollectionView<ChunkData>> sides,
        TensorType out,
        long rpc) {
      super(tag);
      this.params = new HashMap<>(params);
      this.sides = List.copyOf(sides);
      this.out = out;
      this.rpc = rpc;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long t0 = Meter.now();
      try {
        List<ChunkData> ins = new ArrayList<>();
        ins.add(c.element());
        for (PCollectionView<ChunkData> v : sides) {
          ins.add(c.sideInput(v));
        }
        List<Block> blocks = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        long el = 0;
        long bytes = 0;
        for (ChunkData d : ins) {
          blocks.add(d.toBlock());
          shapes.add(d.shape());
          el += elements(d);
          bytes += d.byteSize();
        }
        OpKind kind = Ops.get(tag.op()).kind();
        Block r = WholeArray.apply(kind, params, blocks, shapes, out);
        List<KV<Long, ChunkData>> chunks = split(r, out.shape(), rpc);
        long outBytes = 0;
        for (KV<Long, ChunkData> kv : chunks) {
          outBytes += kv.getValue().byteSize();
        }
        Meter.record(tag, -1, t0, el, r.length(), bytes, outBytes);
        chunks.forEach(c::output);
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  /**
   * A node computed chunk by chunk with a whole-array kernel, where each output chunk needs only
   * the same rows of the input: reshapes that keep axis 0, sorts and reductions along other axes.
   */
  static final class PerChunk extends Timed<KV<Long, ChunkData>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, Object> params;
    private final TensorType out;

    PerChunk(Meter.Tag tag, Map<String, Object> params, TensorType out) {
      super(tag);
      this.params = new HashMap<>(params);
      this.out = out;
    }

    @ProcessElement
    public void process(@Element KV<Long, ChunkData> e, OutputReceiver<KV<Long, ChunkData>> o) {
      long t0 = Meter.now();
      try {
        ChunkData c = e.getValue();
        TensorType chunkOut = new TensorType(out.dtype(), out.shape().withDim(0, c.shape().dim(0)));
        OpKind kind = Ops.get(tag.op()).kind();
        Block r =
            WholeArray.apply(kind, params, List.of(c.toBlock()), List.of(c.shape()), chunkOut);
        ChunkData d = ChunkData.of(r, chunkOut.shape(), c.rowStart());
        Meter.record(tag, e.getKey(), t0, elements(c), elements(d), c.byteSize(), d.byteSize());
        o.output(KV.of(e.getKey(), d));
      } catch (RuntimeException ex) {
        throw failure(ex);
      }
    }
  }

  // ------------------------------------------------------------------ matrix products

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

  /** {@code a @ b} for each chunk of {@code a} (rows are independent), {@code b} a side input. */
  static final class Product extends Timed<KV<Long, ChunkData>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<ChunkData> b;
    private final TensorType out;
    private final boolean dot;
    private final boolean chunked;

    Product(
        Meter.Tag tag, PCollectionView<ChunkData> b, TensorType out, boolean dot, boolean chunked) {
      super(tag);
      this.b = b;
      this.out = out;
      this.dot = dot;
      this.chunked = chunked;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long t0 = Meter.now();
      try {
        ChunkData a = c.element().getValue();
        ChunkData bd = c.sideInput(b);
        Block r =
            dot
                ? Linalg.dot(a.toBlock(), a.shape(), bd.toBlock(), bd.shape())
                : Linalg.matmul(a.toBlock(), a.shape(), bd.toBlock(), bd.shape());
        r = WholeArray.cast(r, out.dtype());
        Shape full = out.shape();
        Shape cs = chunked && full.rank() > 0 ? full.withDim(0, a.shape().dim(0)) : full;
        ChunkData o = ChunkData.of(r, cs, chunked ? a.rowStart() : 0);
        Meter.record(
            tag,
            chunked ? c.element().getKey() : -1,
            t0,
            elements(a) + elements(bd),
            elements(o),
            a.byteSize() + bd.byteSize(),
            o.byteSize());
        c.output(KV.of(c.element().getKey(), o));
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  /** {@code X_i.T @ B_i} for one chunk index: a k×m partial sum, keyed by the chunk index. */
  static final class TransposeProduct extends Timed<KV<Long, CoGbkResult>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<ChunkData> xt;
    private final TupleTag<ChunkData> bt;

    TransposeProduct(Meter.Tag tag, TupleTag<ChunkData> xt, TupleTag<ChunkData> bt) {
      super(tag);
      this.xt = xt;
      this.bt = bt;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long t0 = Meter.now();
      try {
        ChunkData x = c.element().getValue().getOnly(xt);
        ChunkData b = c.element().getValue().getOnly(bt);
        int rows = (int) x.shape().dim(0);
        int k = (int) x.shape().dim(1);
        int m = b.shape().rank() == 1 ? 1 : (int) b.shape().dim(1);
        double[] acc = new double[k * m];
        Linalg.transposeMatmul(doubles(x), rows, k, doubles(b), m, acc);
        // keyed and labelled by chunk index, so the sum can follow the local runner's tree
        long index = c.element().getKey();
        ChunkData o = ChunkData.of(Block.wrap(DType.FLOAT64, acc), Shape.of(acc.length), index);
        Meter.record(
            tag,
            index,
            t0,
            elements(x) + elements(b),
            acc.length,
            x.byteSize() + b.byteSize(),
            o.byteSize());
        c.output(KV.of(index, o));
      } catch (RuntimeException e) {
        throw failure(e);
      }
    }
  }

  // ------------------------------------------------------------------ reductions

  /** The partial reduction of one chunk, encoded, keyed by its chunk index. */
  static final class PartialOf extends Timed<KV<Long, ChunkData>, KV<Long, byte[]>> {
    private static final long serialVersionUID = 1L;
    private final OpKind.ReduceFn fn;
    private final boolean[] red;

    PartialOf(Meter.Tag tag, OpKind.ReduceFn fn, boolean[] red) {
      super(tag);
      this.fn = fn;
      this.red = red.clone();
    }

    @ProcessElement
    public void process(@Element KV<Long, ChunkData> e, OutputReceiver<KV<Long, byte[]>> out) {
      long t0 = Meter.now();
      try {
        ChunkData c = e.getValue();
        Reductions.Partial p = Reductions.partial(fn, c.toBlock(), c.shape(), red, c.rowStart());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.writeTo(new DataOutputStream(bytes));
        byte[] b = bytes.toByteArray();
        Meter.record(tag, e.getKey(), t0, elements(c), 0, c.byteSize(), b.length);
        out.output(KV.of(e.getKey(), b));
      } catch (IOException ex) {
        throw failure(new UncheckedIOException(ex));
      } catch (RuntimeException ex) {
        throw failure(ex);
      }
    }
  }

  /**
   * Collects values keyed by chunk index, then finishes them in index order: the order of the work
   * never depends on how Beam grouped the inputs.
   */
  abstract static class ByIndex<V> extends Combine.CombineFn<KV<Long, V>, Map<Long, V>, ChunkData> {
    private static final long serialVersionUID = 1L;
    final Meter.Tag tag;

    ByIndex(Meter.Tag tag) {
      this.tag = tag;
    }

    /** The result from the values in index order. */
    abstract ChunkData finish(List<V> ordered);

    abstract Coder<V> valueCoder();

    @Override
    public Map<Long, V> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public Map<Long, V> addInput(Map<Long, V> acc, KV<Long, V> in) {
      Map<Long, V> m = new TreeMap<>(acc); // accumulators stay unchanged (DirectRunner checks)
      m.put(in.getKey(), in.getValue());
      return m;
    }

    @Override
    public Map<Long, V> mergeAccumulators(Iterable<Map<Long, V>> accs) {
      Map<Long, V> m = new TreeMap<>();
      for (Map<Long, V> a : accs) {
        m.putAll(a);
      }
      return m;
    }

    @Override
    public ChunkData extractOutput(Map<Long, V> acc) {
      long t0 = Meter.now();
      try {
        ChunkData r = finish(new ArrayList<>(new TreeMap<>(acc).values()));
        Meter.record(tag, -1, t0, 0, elements(r), 0, r.byteSize());
        Meter.flush(tag.exchange());
        return r;
      } catch (RuntimeException e) {
        if (e instanceof RunFailure) {
          throw e;
        }
        throw RunFailure.at(tag.path(), tag.op(), String.valueOf(e.getMessage()), e);
      }
    }

    @Override
    public Coder<Map<Long, V>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<Long, V>> input) {
      return MapCoder.of(VarLongCoder.of(), valueCoder());
    }

    @Override
    public Coder<ChunkData> getDefaultOutputCoder(
        CoderRegistry registry, Coder<KV<Long, V>> input) {
      return ChunkCoder.of();
    }
  }

  /** Concatenates the chunks of an array, by chunk index, into one chunk. */
  static final class Gather extends ByIndex<ChunkData> {
    private static final long serialVersionUID = 1L;

    Gather(Meter.Tag tag) {
      super(tag);
    }

    @Override
    Coder<ChunkData> valueCoder() {
      return ChunkCoder.of();
    }

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
        if (all.dtype().isFloating()) {
          System.arraycopy(b.doubles(), 0, all.doubles(), at, b.length());
        } else {
          System.arraycopy(b.longs(), 0, all.longs(), at, b.length());
        }
        at += b.length();
      }
      return ChunkData.of(all, first.shape().withDim(0, rows), 0);
    }
  }

  /**
   * Sums the per-chunk products in the same balanced tree over chunk index as the local runner,
   * then converts to the result dtype and shape.
   */
  static final class SumTree extends ByIndex<ChunkData> {
    private static final long serialVersionUID = 1L;
    private final TensorType out;

    SumTree(Meter.Tag tag, TensorType out) {
      super(tag);
      this.out = out;
    }

    @Override
    Coder<ChunkData> valueCoder() {
      return ChunkCoder.of();
    }

    @Override
    ChunkData finish(List<ChunkData> ordered) {
      List<double[]> parts = new ArrayList<>();
      for (ChunkData c : ordered) {
        parts.add(doubles(c));
      }
      double[] total = tree(parts, 0, parts.size());
      Block r = WholeArray.cast(Block.wrap(DType.FLOAT64, total), out.dtype());
      return ChunkData.of(r, out.shape(), 0);
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

  /**
   * Combines the per-chunk partials of a reduction over axis 0 in the same balanced tree over chunk
   * index as the local runner, so both runners give the same bits.
   */
  static final class ReduceTree extends ByIndex<byte[]> {
    private static final long serialVersionUID = 1L;
    private final int ddof;
    private final TensorType out;

    ReduceTree(Meter.Tag tag, int ddof, TensorType out) {
      super(tag);
      this.ddof = ddof;
      this.out = out;
    }

    @Override
    Coder<byte[]> valueCoder() {
      return ByteArrayCoder.of();
    }

    @Override
    ChunkData finish(List<byte[]> ordered) {
      List<Reductions.Partial> parts = new ArrayList<>();
      try {
        for (byte[] b : ordered) {
          parts.add(Reductions.Partial.readFrom(new DataInputStream(new ByteArrayInputStream(b))));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Reductions.Partial total = tree(parts, 0, parts.size());
      return ChunkData.of(Reductions.finish(total, ddof), out.shape(), 0);
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

  /**
   * Splits a whole array (one chunk) into chunks of {@code rpc} rows keyed by chunk index, so that
   * it is split like every other array of its leading length (joins on chunk index rely on it).
   */
  static final class SplitRows extends DoFn<ChunkData, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final long rpc;

    SplitRows(long rpc) {
      this.rpc = rpc;
    }

    @ProcessElement
    public void process(@Element ChunkData d, OutputReceiver<KV<Long, ChunkData>> out) {
      Shape s = d.shape();
      if (s.rank() == 0 || s.dim(0) <= rpc) {
        out.output(KV.of(0L, d));
        return;
      }
      split(d.toBlock(), s, rpc).forEach(out::output);
    }
  }

  // ------------------------------------------------------------------ sinks

  /**
   * Saves the chunks of an array into the run folder as {@code name} (a graph output, or state).
   */
  static final class Save extends Timed<KV<Long, ChunkData>, Void> {
    private static final long serialVersionUID = 1L;
    private final String name;

    Save(Meter.Tag tag, String name) {
      super(tag);
      this.name = name;
    }

    @ProcessElement
    public void process(@Element KV<Long, ChunkData> e) {
      long t0 = Meter.now();
      try {
        ChunkData c = e.getValue();
        tag.exchange().writeChunk(name, e.getKey(), c);
        Meter.record(tag, e.getKey(), t0, elements(c), 0, c.byteSize(), c.byteSize());
      } catch (RuntimeException ex) {
        throw failure(ex);
      }
    }
  }

  /** Loads chunk {@code i} of an array saved by an earlier pipeline of the run. */
  static final class Load extends Timed<Long, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;
    private final String name;

    Load(Meter.Tag tag, String name) {
      super(tag);
      this.name = name;
    }

    @ProcessElement
    public void process(@Element Long i, OutputReceiver<KV<Long, ChunkData>> out) {
      long t0 = Meter.now();
      try {
        ChunkData c = tag.exchange().readChunk(name, i);
        Meter.record(tag, i, t0, 0, elements(c), c.byteSize(), c.byteSize());
        out.output(KV.of(i, c));
      } catch (RuntimeException ex) {
        throw failure(ex);
      }
    }
  }

  /** Writes a gathered array to a file (whole: a temporary file, then a rename). */
  static final class WriteFile extends Timed<ChunkData, Void> {
    private static final long serialVersionUID = 1L;
    private final OpKind.IoFn fn;
    private final String file;

    WriteFile(Meter.Tag tag, OpKind.IoFn fn, String file) {
      super(tag);
      this.fn = fn;
      this.file = file;
    }

    @ProcessElement
    public void process(@Element ChunkData c) {
      long t0 = Meter.now();
      try (BufferAllocator alloc = Allocators.root(Long.MAX_VALUE);
          NdArray a = NdArray.of(c.dtype(), c.shape(), List.of(c.toChunk(alloc)))) {
        java.nio.file.Path p = Paths.get(file);
        switch (fn) {
          case WRITE_ARROW -> ArrowFiles.write(a, p);
          case WRITE_NPY -> NpyFiles.write(a, p);
          default -> CsvFiles.write(a, p);
        }
        Meter.record(tag, -1, t0, elements(c), 0, c.byteSize(), c.byteSize());
      } catch (RuntimeException ex) {
        throw failure(ex);
      }
    }
  }
}
