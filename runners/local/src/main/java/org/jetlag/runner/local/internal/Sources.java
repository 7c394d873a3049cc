package org.jetlag.runner.local.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.ChunkReader;
import org.jetlag.arrow.CsvFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.Node;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.ops.OpKind;

/** Turns caller arrays and files into run values split by the run's partitions. */
final class Sources {
  private Sources() {}

  /**
   * A caller's array as a value. Its memory is shared, not copied, wherever a chunk of the run's
   * partition lies inside one of the array's chunks; the caller may close the array at any time.
   */
  static Value fromArray(GraphExec x, Node n, NdArray a, int uses) {
    Partition p = x.partitionOf(a.shape());
    CompletableFuture<List<Chunk>> split =
        x.task(
            n,
            CompletableFuture.completedFuture(null),
            () -> rechunk(x, n, a.type(), a.chunks(), p),
            0);
    return value(x, a.type(), p, split, uses);
  }

  private static Value value(
      GraphExec x, TensorType t, Partition p, CompletableFuture<List<Chunk>> split, int uses) {
    List<CompletableFuture<Ref>> chunks = new ArrayList<>();
    for (int i = 0; i < p.count(); i++) {
      int ci = i;
      CompletableFuture<Ref> f = split.thenApply(l -> Ref.owned(l.get(ci), uses, x.ctx.live));
      x.ctx.track(f);
      chunks.add(f);
    }
    return new Value(t, p, chunks);
  }

  /**
   * The chunks of partition {@code p} made from {@code src} (in row order): a zero-copy view where
   * a target chunk lies inside one source chunk, a copy where it spans several. The sources are
   * left as they are (the views hold their own references).
   */
  static List<Chunk> rechunk(GraphExec x, Node n, TensorType t, List<Chunk> src, Partition p) {
    List<Chunk> out = new ArrayList<>();
    long row = t.shape().rank() == 0 ? 1 : t.shape().rowSize();
    try {
      if (t.shape().rank() == 0 || t.shape().knownSize() == 0) {
        for (int i = 0; i < p.count(); i++) {
          Chunk c = x.allocate(n, t.dtype(), GraphExec.chunkShape(t.shape(), p, i), p.start(i));
          if (!src.isEmpty() && src.get(0).size() > 0) {
            copyRows(src.get(0), 0, c, 0, c.size());
          }
          out.add(c);
        }
        return out;
      }
      int s = 0;
      for (int i = 0; i < p.count(); i++) {
        long lo = p.start(i);
        long hi = p.end(i);
        while (src.get(s).rowStart() + src.get(s).rows() <= lo) {
          s++;
        }
        Chunk first = src.get(s);
        if (first.rowStart() + first.rows() >= hi) {
          out.add(first.sliceRows(lo - first.rowStart(), hi - lo, lo));
          continue;
        }
        Chunk c = x.allocate(n, t.dtype(), GraphExec.chunkShape(t.shape(), p, i), lo);
        out.add(c);
        long at = lo;
        int k = s;
        while (at < hi) {
          Chunk piece = src.get(k);
          long from = at - piece.rowStart();
          long take = Math.min(hi, piece.rowStart() + piece.rows()) - at;
          copyRows(piece, from * row, c, (at - lo) * row, take * row);
          at += take;
          k++;
        }
      }
      return out;
    } catch (RuntimeException e) {
      out.forEach(Chunk::close);
      throw e;
    }
  }

  /** Chunks a streamed source may have in memory ahead of its consumers, per worker thread. */
  static final int WINDOW_PER_THREAD = 3;

  /**
   * Reads a file for a {@code read_*} node or a graph input given as a file: streamed with a
   * bounded read-ahead when {@code stream} is true (its consumers free chunks one by one), else
   * read whole.
   */
  static Value readFile(
      GraphExec x, Node n, Path file, OpKind.IoFn fn, TensorType t, int uses, boolean stream) {
    if (stream && fn != OpKind.IoFn.READ_CSV && x.partitionOf(t.shape()).count() > 1) {
      return streamFile(x, n, file, fn, t, uses);
    }
    return readFile(x, n, file, fn, t, uses);
  }

  /** Mutable reader state, touched only by the reader's sequential chain of tasks. */
  private static final class Cursor {
    ChunkReader reader;
    Chunk pending;
    long used;
  }

  private static Value streamFile(
      GraphExec x, Node n, Path file, OpKind.IoFn fn, TensorType t, int uses) {
    Partition p = x.partitionOf(t.shape());
    long row = t.shape().rowSize();
    int window = Math.max(2, WINDOW_PER_THREAD * Math.max(1, x.ctx.threads));
    Cursor cur = new Cursor();
    List<CompletableFuture<Ref>> chunks = new ArrayList<>();
    CompletableFuture<?> prev = CompletableFuture.completedFuture(null);
    for (int i = 0; i < p.count(); i++) {
      int ci = i;
      CompletableFuture<?> gate =
          i < window
              ? prev
              : CompletableFuture.allOf(
                  prev,
                  CompletableFuture.anyOf(
                      chunks.get(i - window).thenCompose(Ref::freed), x.ctx.stoppedFuture()));
      CompletableFuture<Ref> f =
          x.taskAt(
              n,
              i,
              gate,
              () -> {
                if (cur.reader == null) {
                  cur.reader =
                      fn == OpKind.IoFn.READ_NPY
                          ? NpyFiles.openReader(file, x.allocator(n), Math.max(1, p.rows(0)))
                          : ArrowFiles.openReader(file, x.allocator(n));
                  if (!cur.reader.type().equals(t)) {
                    throw new ArrayFileException(
                        file, "expected " + t + ", got " + cur.reader.type());
                  }
                }
                Chunk out =
                    x.allocate(n, t.dtype(), GraphExec.chunkShape(t.shape(), p, ci), p.start(ci));
                try {
                  long need = p.rows(ci);
                  long at = 0;
                  while (at < need) {
                    if (cur.pending == null || cur.used == cur.pending.rows()) {
                      if (cur.pending != null) {
                        cur.pending.close();
                      }
                      cur.pending =
                          cur.reader
                              .next()
                              .orElseThrow(
                                  () ->
                                      new ArrayFileException(
                                          file,
                                          "truncated: expected "
                                              + t.shape().dim(0)
                                              + " rows, the file ended at row "
                                              + p.start(ci)));
                      cur.used = 0;
                    }
                    long take = Math.min(need - at, cur.pending.rows() - cur.used);
                    copyRows(cur.pending, cur.used * row, out, at * row, take * row);
                    cur.used += take;
                    at += take;
                  }
                } catch (RuntimeException e) {
                  out.close();
                  throw e;
                }
                if (ci == p.count() - 1) {
                  close(cur);
                }
                return Ref.owned(out, uses, x.ctx.live);
              },
              p.rows(ci) * row);
      chunks.add(f);
      prev = f;
    }
    CompletableFuture<Void> cleanup =
        prev.handle(
            (r, e) -> {
              if (e != null) {
                close(cur);
              }
              return null;
            });
    x.ctx.track(cleanup);
    return new Value(t, p, chunks);
  }

  private static void close(Cursor cur) {
    if (cur.pending != null) {
      cur.pending.close();
      cur.pending = null;
    }
    if (cur.reader != null) {
      cur.reader.close();
      cur.reader = null;
    }
  }

  private static void copyRows(Chunk src, long from, Chunk dst, long to, long n) {
    int block = 1 << 16;
    org.jetlag.kernels.Block b =
        org.jetlag.kernels.Block.allocate(src.dtype(), (int) Math.min(block, Math.max(1, n)));
    for (long k = 0; k < n; k += block) {
      int len = (int) Math.min(block, n - k);
      Blocks.load(src, from + k, b, len);
      Blocks.store(b, dst, to + k, len);
    }
  }

  /** Reads a whole file for a {@code read_*} node or a graph input given as a file. */
  static Value readFile(GraphExec x, Node n, Path file, OpKind.IoFn fn, TensorType t, int uses) {
    Partition p = x.partitionOf(t.shape());
    CompletableFuture<NdArray> read =
        x.task(
            n,
            CompletableFuture.completedFuture(null),
            () -> {
              BufferAllocator alloc = x.allocator(n);
              NdArray a;
              switch (fn) {
                case READ_ARROW:
                  a = ArrowFiles.read(file, alloc);
                  break;
                case READ_NPY:
                  a = NpyFiles.read(file, alloc, rowsPerChunk(p));
                  break;
                case READ_CSV:
                  {
                    Boolean header = (Boolean) x.g.params(n.id()).getOrDefault("header", false);
                    String delim = (String) x.g.params(n.id()).getOrDefault("delimiter", ",");
                    a = CsvFiles.read(file, alloc, t.dtype(), header, delim.charAt(0));
                    if (t.shape().rank() == 1 && a.shape().rank() == 2) {
                      Shape flat = Shape.of(a.size());
                      NdArray r = reshaped(x, n, a, flat);
                      a.close();
                      a = r;
                    }
                    break;
                  }
                default:
                  throw new IllegalArgumentException(fn + " is not a reader");
              }
              if (!a.type().equals(t)) {
                TensorType got = a.type();
                a.close();
                throw new ArrayFileException(file, "expected " + t + ", got " + got);
              }
              return a;
            },
            t.shape().knownSize());
    CompletableFuture<List<Chunk>> split =
        x.task(
            n,
            read,
            () -> {
              NdArray a = read.join();
              try {
                return rechunk(x, n, t, a.chunks(), p);
              } finally {
                a.close(); // views keep what they share
              }
            },
            0);
    return value(x, t, p, split, uses);
  }

  private static long rowsPerChunk(Partition p) {
    return Math.max(1, p.rows(0));
  }

  private static NdArray reshaped(GraphExec x, Node n, NdArray a, Shape s) {
    List<Chunk> cs = new ArrayList<>();
    long row = 0;
    for (Chunk c : a.chunks()) {
      Chunk d = Chunk.allocate(x.allocator(n), a.dtype(), Shape.of(c.size()), row);
      Blocks.fill(Blocks.read(c), d, 0);
      row += c.size();
      cs.add(d);
    }
    return NdArray.of(a.dtype(), s, cs);
  }
}
