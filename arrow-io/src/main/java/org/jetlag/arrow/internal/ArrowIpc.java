package org.jetlag.arrow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.ChunkReader;
import org.jetlag.arrow.ChunkWriter;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/**
 * The n-d Arrow IPC file convention: one non-null column {@code data} of flat row-major elements,
 * schema metadata {@code jetlag.format}, {@code jetlag.dtype} and {@code jetlag.shape}, and record
 * batches of whole rows.
 */
public final class ArrowIpc {
  /** The name of the single column. */
  public static final String COLUMN = "data";

  /** Metadata key of the convention's version. */
  public static final String KEY_FORMAT = "jetlag.format";

  /** Metadata key of the dtype's wire name. */
  public static final String KEY_DTYPE = "jetlag.dtype";

  /** Metadata key of the shape as a JSON list. */
  public static final String KEY_SHAPE = "jetlag.shape";

  /** The only convention version so far. */
  public static final String FORMAT_VERSION = "1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ArrowIpc() {}

  /** The Arrow column type that holds {@code dtype}. */
  public static ArrowType arrowType(DType dtype) {
    switch (dtype) {
      case FLOAT64 -> {
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      }
      case FLOAT32 -> {
        return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      }
      case INT64 -> {
        return new ArrowType.Int(64, true);
      }
      case INT32 -> {
        return new ArrowType.Int(32, true);
      }
      case BOOL -> {
        return ArrowType.Bool.INSTANCE;
      }
    }
    throw new AssertionError(dtype);
  }

  /** The dtype an Arrow column type holds, if it is one of ours. */
  public static Optional<DType> dtypeOf(ArrowType t) {
    for (DType d : DType.values()) {
      if (arrowType(d).equals(t)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The schema of an array of this type. */
  public static Schema schema(DType dtype, Shape shape) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(KEY_FORMAT, FORMAT_VERSION);
    meta.put(KEY_DTYPE, dtype.wireName());
    try {
      meta.put(KEY_SHAPE, JSON.writeValueAsString(shape.toList()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render shape " + shape, e);
    }
    Field f = new Field(COLUMN, FieldType.notNullable(arrowType(dtype)), null);
    return new Schema(List.of(f), meta);
  }

  /** Opens a streaming writer; see {@link org.jetlag.arrow.ArrowFiles#openWriter}. */
  public static ChunkWriter openWriter(Path path, DType dtype, Shape shape) {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    if (!shape.isKnown()) {
      throw new IllegalArgumentException("shape " + shape + " must be fully known");
    }
    return new Writer(path, dtype, shape);
  }

  /** Opens a streaming reader; see {@link org.jetlag.arrow.ArrowFiles#openReader}. */
  public static ChunkReader openReader(Path path, BufferAllocator alloc) {
    Objects.requireNonNull(alloc, "alloc");
    return new Reader(path, alloc);
  }

  /** Reads only the type of the array in {@code path}. */
  public static TensorType header(Path path) {
    try (BufferAllocator alloc = new RootAllocator();
        Reader r = new Reader(path, alloc)) {
      return r.type();
    }
  }

  /** Writes an Arrow IPC file into a temporary file, moved into place on commit. */
  private static final class Writer implements ChunkWriter {
    private final Path path;
    private final DType dtype;
    private final Shape shape;
    private final long totalRows;
    private final Path temp;
    private BufferAllocator alloc;
    private FileChannel channel;
    private VectorSchemaRoot root;
    private ArrowFileWriter writer;
    private long rowsWritten;
    private boolean committed;
    private boolean closed;

    Writer(Path path, DType dtype, Shape shape) {
      this.path = path;
      this.dtype = dtype;
      this.shape = shape;
      this.totalRows = shape.rank() == 0 ? 1 : shape.dim(0);
      this.temp = FileSupport.createTemp(path);
      try {
        alloc = new RootAllocator();
        channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        root = VectorSchemaRoot.create(schema(dtype, shape), alloc);
        writer = new ArrowFileWriter(root, null, channel);
        writer.start();
      } catch (IOException | RuntimeException e) {
        close();
        throw new ArrayFileException(path, "cannot start writing: " + e, e);
      }
    }

    @Override
    public void write(Chunk c) {
      checkWritable();
      if (c.dtype() != dtype
          || c.shape().rank() != shape.rank()
          || (shape.rank() > 0 && !c.shape().dropLeading().equals(shape.dropLeading()))) {
        throw new IllegalArgumentException(
            "chunk " + c + " does not fit " + dtype + shape + " being written to " + path);
      }
      if (c.rowStart() != rowsWritten || rowsWritten + c.rows() > totalRows) {
        throw new IllegalArgumentException(
            "chunk "
                + c
                + " does not continue row "
                + rowsWritten
                + " of "
                + totalRows
                + " being written to "
                + path);
      }
      if (c.size() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "chunk " + c + " has more than 2^31-1 elements, too many for one record batch");
      }
      if (c.size() > 0) {
        try {
          fill((BaseFixedWidthVector) root.getVector(0), c);
          root.setRowCount((int) c.size());
          writer.writeBatch();
        } catch (IOException e) {
          throw new ArrayFileException(path, "write failed: " + e, e);
        }
      }
      rowsWritten += c.rows();
    }

    private void fill(BaseFixedWidthVector v, Chunk c) {
      int n = (int) c.size();
      v.clear();
      v.allocateNew(n);
      ArrowBuf src = c.buffer();
      ArrowBuf dst = v.getDataBuffer();
      if (dtype == DType.BOOL) {
        for (int i = 0; i < n; i++) {
          if (src.getByte(i) != 0) {
            dst.setByte(i >>> 3, dst.getByte(i >>> 3) | (1 << (i & 7)));
          }
        }
      } else {
        dst.setBytes(0, src, 0, c.byteSize());
      }
      v.getValidityBuffer().setOne(0L, (long) ((n + 7) / 8));
      v.setValueCount(n);
    }

    @Override
    public void commit() {
      checkWritable();
      if (rowsWritten != totalRows) {
        throw new IllegalStateException(
            "wrote "
                + rowsWritten
                + " of "
                + totalRows
                + " rows of "
                + dtype
                + shape
                + " to "
                + path
                + "; cannot commit");
      }
      try {
        writer.end();
        channel.force(true);
        // Closing the Arrow writer also closes the channel.
        writer.close();
        writer = null;
        channel = null;
      } catch (IOException | RuntimeException e) {
        close();
        throw new ArrayFileException(path, "write failed: " + e, e);
      }
      try {
        FileSupport.commit(temp, path);
        committed = true;
      } finally {
        close();
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      RuntimeException failure = null;
      for (AutoCloseable c : new AutoCloseable[] {writer, root, channel, alloc}) {
        if (c == null) {
          continue;
        }
        try {
          c.close();
        } catch (Exception e) {
          if (failure == null) {
            failure = new ArrayFileException(path, "closing the writer failed: " + e, e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (!committed) {
        FileSupport.deleteQuietly(temp);
      }
      if (failure != null && committed) {
        throw failure;
      }
    }

    private void checkWritable() {
      if (closed) {
        throw new IllegalStateException("writer of " + path + " is closed");
      }
    }
  }

  /** Reads an Arrow IPC file one record batch at a time. */
  private static final class Reader implements ChunkReader {
    private final Path path;
    private final BufferAllocator alloc;
    private final ArrowFileReader reader;
    private final DType dtype;
    private final Shape shape;
    private final long totalRows;
    private final long rowSize;
    private long rowsRead;
    private int batch;
    private boolean closed;

    Reader(Path path, BufferAllocator alloc) {
      this.path = path;
      this.alloc = alloc;
      FileChannel ch = FileSupport.openForRead(path);
      this.reader = new ArrowFileReader(ch, alloc);
      try {
        Schema schema = read(() -> reader.getVectorSchemaRoot().getSchema());
        if (schema.getFields().size() != 1) {
          throw new ArrayFileException(
              path,
              "expected one column '"
                  + COLUMN
                  + "', found "
                  + schema.getFields().size()
                  + " columns "
                  + names(schema));
        }
        Field f = schema.getFields().get(0);
        DType columnType =
            dtypeOf(f.getType())
                .orElseThrow(
                    () ->
                        new ArrayFileException(
                            path,
                            "unsupported column type "
                                + f.getType()
                                + " of column '"
                                + f.getName()
                                + "': expected float64, float32, int64, int32 or bool"));
        Map<String, String> meta = schema.getCustomMetadata();
        if (meta != null && meta.containsKey(KEY_SHAPE)) {
          String format = meta.get(KEY_FORMAT);
          if (format != null && !FORMAT_VERSION.equals(format)) {
            throw new ArrayFileException(
                path,
                "unsupported "
                    + KEY_FORMAT
                    + ": expected "
                    + FORMAT_VERSION
                    + ", found '"
                    + format
                    + "'");
          }
          String dtypeName = meta.get(KEY_DTYPE);
          if (dtypeName != null && !dtypeName.equals(columnType.wireName())) {
            throw new ArrayFileException(
                path,
                KEY_DTYPE
                    + " is '"
                    + dtypeName
                    + "' but column '"
                    + f.getName()
                    + "' holds "
                    + columnType);
          }
          this.shape = parseShape(path, meta.get(KEY_SHAPE));
        } else {
          this.shape = Shape.of(countElements());
        }
        this.dtype = columnType;
        this.totalRows = shape.rank() == 0 ? 1 : shape.dim(0);
        this.rowSize = shape.rowSize();
      } catch (RuntimeException e) {
        FileSupport.closeQuietly(reader, e);
        throw e;
      }
    }

    private long countElements() {
      try (FileChannel ch = FileSupport.openForRead(path);
          ArrowFileReader counter = new ArrowFileReader(ch, alloc)) {
        long n = 0;
        while (read(counter::loadNextBatch)) {
          n += counter.getVectorSchemaRoot().getRowCount();
        }
        return n;
      } catch (IOException e) {
        throw new ArrayFileException(path, "cannot be read: " + e, e);
      }
    }

    @Override
    public TensorType type() {
      return new TensorType(dtype, shape);
    }

    @Override
    public Optional<Chunk> next() {
      if (closed) {
        throw new IllegalStateException("reader of " + path + " is closed");
      }
      if (rowSize == 0) {
        // No element data at all: one chunk carries every (empty) row.
        if (rowsRead < totalRows) {
          rowsRead = totalRows;
          return Optional.of(Chunk.allocate(alloc, dtype, shape, 0));
        }
        return Optional.empty();
      }
      while (read(reader::loadNextBatch)) {
        batch++;
        VectorSchemaRoot root = read(reader::getVectorSchemaRoot);
        BaseFixedWidthVector v = (BaseFixedWidthVector) root.getVector(0);
        int n = root.getRowCount();
        if (n == 0) {
          continue;
        }
        if (v.getNullCount() > 0) {
          throw new ArrayFileException(
              path, "record batch " + batch + " has " + v.getNullCount() + " nulls; expected none");
        }
        if (n % rowSize != 0) {
          throw new ArrayFileException(
              path,
              "record batch "
                  + batch
                  + " holds "
                  + n
                  + " elements, expected a whole number of rows of "
                  + rowSize);
        }
        long rows = n / rowSize;
        if (rowsRead + rows > totalRows) {
          throw new ArrayFileException(
              path,
              "holds more rows than its shape "
                  + shape
                  + " says: expected "
                  + totalRows
                  + ", found at least "
                  + (rowsRead + rows));
        }
        Shape cs = shape.rank() == 0 ? shape : shape.withDim(0, rows);
        Chunk c = Chunk.allocate(alloc, dtype, cs, rowsRead);
        copy(v, c, n);
        rowsRead += rows;
        return Optional.of(c);
      }
      if (rowsRead != totalRows) {
        throw new ArrayFileException(
            path,
            "truncated: shape " + shape + " expects " + totalRows + " rows, found " + rowsRead);
      }
      return Optional.empty();
    }

    private void copy(BaseFixedWidthVector v, Chunk c, int n) {
      ArrowBuf src = v.getDataBuffer();
      ArrowBuf dst = c.buffer();
      if (dtype == DType.BOOL) {
        for (int i = 0; i < n; i++) {
          dst.setByte(i, (src.getByte(i >>> 3) >>> (i & 7)) & 1);
        }
      } else {
        dst.setBytes(0, src, 0, c.byteSize());
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        try {
          reader.close();
        } catch (IOException e) {
          throw new ArrayFileException(path, "closing failed: " + e, e);
        }
      }
    }

    private <T> T read(IoCall<T> call) {
      try {
        return call.call();
      } catch (ArrayFileException | OutOfMemoryException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new ArrayFileException(path, "not a valid Arrow IPC file: " + message(e), e);
      }
    }
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
  }

  private static String names(Schema s) {
    List<String> names = new ArrayList<>();
    s.getFields().forEach(f -> names.add(f.getName()));
    return names.toString();
  }

  /** Parses a {@code jetlag.shape} value such as {@code [1000,10]}. */
  static Shape parseShape(Path path, String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ArrayFileException(
          path, KEY_SHAPE + " is not a JSON list of dimensions: '" + json + "'", e);
    }
    if (node == null || !node.isArray()) {
      throw new ArrayFileException(
          path, KEY_SHAPE + " is not a JSON list of dimensions: '" + json + "'");
    }
    long[] dims = new long[node.size()];
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = node.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber()) {
        throw new ArrayFileException(
            path, KEY_SHAPE + " dimension " + i + " is not an integer: '" + json + "'");
      }
      dims[i] = d.asLong();
    }
    return Shapes.checked(path, dims);
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }
}
