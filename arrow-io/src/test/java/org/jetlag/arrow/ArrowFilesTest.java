package org.jetlag.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArrowFilesTest {
  private BufferAllocator alloc;
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(1L << 30);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  static Stream<Object[]> cases() {
    return Samples.cases();
  }

  @ParameterizedTest(name = "{0}{1} rows/chunk {2}")
  @MethodSource("cases")
  void roundTrip(DType dtype, Shape shape, long rpc) throws IOException {
    Path f = dir.resolve("a.arrow");
    try (NdArray a = Samples.filled(alloc, dtype, shape, rpc, 42)) {
      ArrowFiles.write(a, f);
      assertThat(ArrowFiles.header(f)).isEqualTo(new TensorType(dtype, shape));
      try (NdArray b = ArrowFiles.read(f, alloc)) {
        assertThat(b.type()).isEqualTo(a.type());
        assertThat(b.toLongs()).isEqualTo(a.toLongs());
        assertThat(b.toDoubles()).isEqualTo(a.toDoubles());
        if (shape.rowSize() > 0) {
          assertThat(b.chunks())
              .extracting(Chunk::rows)
              .isEqualTo(a.chunks().stream().map(Chunk::rows).filter(r -> r > 0).toList());
        }
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).containsExactly(f);
    }
  }

  @Test
  void streamingReaderYieldsRowsInOrderAndCallerFreesEach() {
    Path f = dir.resolve("s.arrow");
    try (NdArray a = Samples.filled(alloc, DType.FLOAT64, Shape.of(10, 2), 3, 1)) {
      ArrowFiles.write(a, f);
      long baseline = alloc.getAllocatedMemory();
      try (ChunkReader r = ArrowFiles.openReader(f, alloc)) {
        assertThat(r.type()).hasToString("float64[10,2]");
        List<Long> starts = new ArrayList<>();
        for (Optional<Chunk> c = r.next(); c.isPresent(); c = r.next()) {
          try (Chunk chunk = c.get()) {
            starts.add(chunk.rowStart());
            for (long i = 0; i < chunk.size(); i++) {
              assertThat(Double.valueOf(chunk.getDouble(i)))
                  .isEqualTo(Double.valueOf(a.getDouble(chunk.rowStart() * 2 + i)));
            }
          }
        }
        assertThat(starts).containsExactly(0L, 3L, 6L, 9L);
        assertThat(r.next()).isEmpty();
      }
      assertThat(alloc.getAllocatedMemory()).isEqualTo(baseline);
    }
  }

  @Test
  void streamingWriterCommitsAtomically() throws IOException {
    Path f = dir.resolve("w.arrow");
    try (NdArray a = Samples.filled(alloc, DType.INT32, Shape.of(6, 2), 2, 3);
        ChunkWriter w = ArrowFiles.openWriter(f, DType.INT32, Shape.of(6, 2))) {
      w.write(a.chunks().get(0));
      w.write(a.chunks().get(1));
      assertThat(f).doesNotExist();
      assertThatThrownBy(() -> w.write(a.chunks().get(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not continue row 4");
      assertThatThrownBy(w::commit)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("wrote 4 of 6 rows");
      w.write(a.chunks().get(2));
      w.commit();
      try (NdArray b = ArrowFiles.read(f, alloc)) {
        assertThat(b.toLongs()).isEqualTo(a.toLongs());
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).containsExactly(f);
    }
  }

  @Test
  void failureMidStreamLeavesNoFile() throws IOException {
    Path src = dir.resolve("src.arrow");
    Path out = dir.resolve("out.arrow");
    try (NdArray a = Samples.filled(alloc, DType.FLOAT64, Shape.of(8, 2), 2, 5)) {
      ArrowFiles.write(a, src);
    }
    assertThatThrownBy(
            () -> {
              try (ChunkReader r = ArrowFiles.openReader(src, alloc);
                  ChunkWriter w = ArrowFiles.openWriter(out, r.type().dtype(), r.type().shape())) {
                for (Optional<Chunk> c = r.next(); c.isPresent(); c = r.next()) {
                  try (Chunk chunk = c.get()) {
                    if (chunk.rowStart() == 4) {
                      throw new IllegalStateException("simulated failure in a kernel");
                    }
                    w.write(chunk);
                  }
                }
                w.commit();
              }
            })
        .hasMessageContaining("simulated");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).containsExactly(src);
    }
  }

  @Test
  void writingIntoMissingDirectoryFailsAndLeavesNothing() {
    Path f = dir.resolve("nope").resolve("a.arrow");
    try (NdArray a = Samples.filled(alloc, DType.FLOAT64, Shape.of(3), 1, 1)) {
      assertThatThrownBy(() -> ArrowFiles.write(a, f))
          .isInstanceOf(ArrayFileException.class)
          .hasMessageContaining(f.toString())
          .hasMessageContaining("does not exist");
    }
    assertThat(dir.resolve("nope")).doesNotExist();
  }

  @Test
  void writingIntoReadOnlyDirectoryFailsAndLeavesNothing() throws IOException {
    Path ro = ReadOnly.directory(dir);
    Path f = ro.resolve("a.arrow");
    try (NdArray a = Samples.filled(alloc, DType.FLOAT64, Shape.of(3), 1, 1)) {
      assertThatThrownBy(() -> ArrowFiles.write(a, f))
          .isInstanceOf(ArrayFileException.class)
          .hasMessageContaining(f.toString())
          .hasMessageContaining("cannot be written");
    }
    assertThat(f).doesNotExist();
    ReadOnly.assertUnchanged(ro);
  }

  @Test
  void missingEmptyTruncatedAndCorruptFiles() throws IOException {
    Path missing = dir.resolve("missing.arrow");
    assertThatThrownBy(() -> ArrowFiles.read(missing, alloc))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");

    Path empty = Files.createFile(dir.resolve("empty.arrow"));
    assertThatThrownBy(() -> ArrowFiles.header(empty))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("empty");

    Path good = dir.resolve("good.arrow");
    try (NdArray a = Samples.filled(alloc, DType.FLOAT64, Shape.of(100, 4), 10, 1)) {
      ArrowFiles.write(a, good);
    }
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.arrow");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ArrowFiles.read(truncated, alloc))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(truncated.toString())
        .hasMessageContaining("not a valid Arrow IPC file");

    Path corrupt = dir.resolve("corrupt.arrow");
    Files.writeString(corrupt, "this is not arrow data at all, just text\n");
    assertThatThrownBy(() -> ArrowFiles.read(corrupt, alloc))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(corrupt.toString())
        .hasMessageContaining("not a valid Arrow IPC file");
  }

  @Test
  void fewerRowsThanTheShapeSaysIsTruncated() {
    Path f = dir.resolve("short.arrow");
    try (NdArray a = Samples.filled(alloc, DType.INT64, Shape.of(4, 3), 2, 1)) {
      writeRaw(f, ArrowIpcSchemas.of(DType.INT64, "[6,3]"), a.toLongs());
    }
    assertThatThrownBy(() -> ArrowFiles.read(f, alloc))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("truncated: shape [6,3] expects 6 rows, found 4");
  }

  @Test
  void badMetadataIsReported() {
    Path rank5 = dir.resolve("rank5.arrow");
    writeRaw(rank5, ArrowIpcSchemas.of(DType.INT64, "[1,1,1,1,2]"), new long[] {1, 2});
    assertThatThrownBy(() -> ArrowFiles.header(rank5))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(rank5.toString())
        .hasMessageContaining("unsupported rank 5");

    Path absurd = dir.resolve("absurd.arrow");
    writeRaw(
        absurd,
        ArrowIpcSchemas.of(DType.INT64, "[4294967296,4294967296,4294967296]"),
        new long[] {1});
    assertThatThrownBy(() -> ArrowFiles.header(absurd))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(absurd.toString())
        .hasMessageContaining("overflows");

    Path partial = dir.resolve("partial-row.arrow");
    writeRaw(partial, ArrowIpcSchemas.of(DType.INT64, "[2,3]"), new long[] {1, 2, 3, 4});
    assertThatThrownBy(() -> ArrowFiles.read(partial, alloc))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining("whole number of rows of 3");
  }

  @Test
  void unsupportedColumnTypeIsReported() throws IOException {
    Path f = dir.resolve("utf8.arrow");
    Schema schema = new Schema(List.of(Field.nullable("s", new ArrowType.Int(16, true))), Map.of());
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      w.start();
      w.end();
    }
    assertThatThrownBy(() -> ArrowFiles.header(f))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("unsupported column type");
  }

  @Test
  void fileWithoutMetadataReadsAsOneDimensional() throws IOException {
    Path f = dir.resolve("plain.arrow");
    Schema schema = new Schema(List.of(Field.nullable("x", new ArrowType.Int(32, true))));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      w.start();
      IntVector v = (IntVector) root.getVector(0);
      for (int batch = 0; batch < 2; batch++) {
        v.allocateNew(3);
        for (int i = 0; i < 3; i++) {
          v.set(i, batch * 10 + i);
        }
        v.setValueCount(3);
        root.setRowCount(3);
        w.writeBatch();
      }
      w.end();
    }
    assertThat(ArrowFiles.header(f)).hasToString("int32[6]");
    try (NdArray a = ArrowFiles.read(f, alloc)) {
      assertThat(a.toLongs()).containsExactly(0, 1, 2, 10, 11, 12);
      assertThat(a.chunks()).hasSize(2);
    }
  }

  /** Writes {@code values} as one int64 record batch under {@code schema}, bypassing checks. */
  private void writeRaw(Path f, Schema schema, long[] values) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      w.start();
      BigIntVector v = (BigIntVector) root.getVector(0);
      v.allocateNew(values.length);
      for (int i = 0; i < values.length; i++) {
        v.set(i, values[i]);
      }
      v.setValueCount(values.length);
      root.setRowCount(values.length);
      w.writeBatch();
      w.end();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Schemas following the convention but with a chosen shape string. */
  static final class ArrowIpcSchemas {
    static Schema of(DType dtype, String shapeJson) {
      Map<String, String> meta = new java.util.LinkedHashMap<>();
      meta.put("jetlag.format", "1");
      meta.put("jetlag.dtype", dtype.wireName());
      meta.put("jetlag.shape", shapeJson);
      return new Schema(
          List.of(
              new Field(
                  "data",
                  FieldType.notNullable(org.jetlag.arrow.internal.ArrowIpc.arrowType(dtype)),
                  null)),
          meta);
    }
  }
}
