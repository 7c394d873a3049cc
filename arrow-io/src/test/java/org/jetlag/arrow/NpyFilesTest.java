package org.jetlag.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NpyFilesTest {
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
    Path f = dir.resolve("a.npy");
    try (NdArray a = Samples.filled(alloc, dtype, shape, 1000, 7)) {
      NpyFiles.write(a, f);
      assertThat(NpyFiles.header(f)).isEqualTo(new TensorType(dtype, shape));
      assertThat(Files.size(f) % 1).isZero();
      try (NdArray b = NpyFiles.read(f, alloc, rpc)) {
        assertThat(b.type()).isEqualTo(a.type());
        assertThat(b.toLongs()).isEqualTo(a.toLongs());
        assertThat(b.toDoubles()).isEqualTo(a.toDoubles());
        if (shape.rank() > 0 && shape.rowSize() > 0) {
          assertThat(b.chunks()).hasSize((int) ((shape.dim(0) + rpc - 1) / rpc));
        }
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).containsExactly(f);
    }
  }

  @Test
  void headerIsNumpyCompatible() throws IOException {
    Path f = dir.resolve("h.npy");
    try (NdArray a = NdArray.allocate(alloc, DType.FLOAT32, Shape.of(3), 1)) {
      NpyFiles.write(a, f);
    }
    byte[] b = Files.readAllBytes(f);
    assertThat((b.length - 12) % 64).isZero();
    int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    assertThat(10 + headerLen).isEqualTo(b.length - 12);
    String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
    assertThat(header)
        .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }")
        .endsWith("\n");
  }

  @Test
  void readsVersionsTwoAndThreeAndBigEndian() throws IOException {
    Path v2 = dir.resolve("v2.npy");
    Files.write(
        v2, npy(2, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", le4(1, 2, 3, 4)));
    try (NdArray a = NpyFiles.read(v2, alloc, 1)) {
      assertThat(a.type()).hasToString("int32[2,2]");
      assertThat(a.toLongs()).containsExactly(1, 2, 3, 4);
    }
    Path v3 = dir.resolve("v3.npy");
    ByteBuffer be = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
    be.putDouble(1.5).putDouble(Double.NaN).putDouble(-2.0);
    Files.write(
        v3, npy(3, "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", be.array()));
    try (NdArray a = NpyFiles.read(v3, alloc, 2)) {
      assertThat(a.type()).hasToString("float64[3]");
      assertThat(a.toDoubles()).containsExactly(1.5, Double.NaN, -2.0);
    }
    Path bool = dir.resolve("b.npy");
    Files.write(
        bool, npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (), }", new byte[] {5}));
    try (NdArray a = NpyFiles.read(bool, alloc, 2)) {
      assertThat(a.type()).hasToString("bool[]");
      assertThat(a.toLongs()).containsExactly(1);
    }
  }

  @Test
  void readsAnyRowRangeOnItsOwn() throws IOException {
    Path f = dir.resolve("rows.npy");
    try (NdArray a = Samples.filled(alloc, DType.FLOAT64, Shape.of(10, 3), 10, 2)) {
      NpyFiles.write(a, f);
      double[] all = a.toDoubles();
      try (Chunk c = NpyFiles.readRows(f, alloc, 4, 3)) {
        assertThat(c.rowStart()).isEqualTo(4);
        assertThat(c.shape()).isEqualTo(Shape.of(3, 3));
        for (int i = 0; i < 9; i++) {
          assertThat(Double.doubleToRawLongBits(c.getDouble(i)))
              .isEqualTo(Double.doubleToRawLongBits(all[12 + i]));
        }
      }
      try (Chunk tail = NpyFiles.readRows(f, alloc, 8, 5)) {
        assertThat(tail.shape()).isEqualTo(Shape.of(2, 3)); // only two rows are left
        assertThat(Double.doubleToRawLongBits(tail.getDouble(5)))
            .isEqualTo(Double.doubleToRawLongBits(all[29]));
      }
      try (Chunk none = NpyFiles.readRows(f, alloc, 10, 5)) {
        assertThat(none.rows()).isZero();
      }
      assertThatThrownBy(() -> NpyFiles.readRows(f, alloc, 11, 1))
          .isInstanceOf(ArrayFileException.class)
          .hasMessageContaining("has 10 rows");
    }
  }

  @Test
  void streamingReaderFreesEachChunk() throws IOException {
    Path f = dir.resolve("s.npy");
    try (NdArray a = Samples.filled(alloc, DType.INT64, Shape.of(10, 3), 10, 2)) {
      NpyFiles.write(a, f);
      long base = alloc.getAllocatedMemory();
      try (ChunkReader r = NpyFiles.openReader(f, alloc, 4)) {
        long next = 0;
        for (Optional<Chunk> c = r.next(); c.isPresent(); c = r.next()) {
          try (Chunk chunk = c.get()) {
            assertThat(chunk.rowStart()).isEqualTo(next);
            assertThat(alloc.getAllocatedMemory() - base).isLessThanOrEqualTo(4 * 3 * 8 + 64);
            for (long i = 0; i < chunk.size(); i++) {
              assertThat(chunk.getLong(i)).isEqualTo(a.getLong(next * 3 + i));
            }
            next += chunk.rows();
          }
        }
        assertThat(next).isEqualTo(10);
      }
      assertThat(alloc.getAllocatedMemory()).isEqualTo(base);
    }
  }

  private static void assertBad(Path f, String... fragments) {
    var t = assertThatThrownBy(() -> NpyFiles.read(f, Allocators.root(1 << 20), 1));
    t.isInstanceOf(ArrayFileException.class).hasMessageContaining("file '" + f + "'");
    for (String frag : fragments) {
      t.hasMessageContaining(frag);
    }
    assertThatThrownBy(() -> NpyFiles.header(f)).isInstanceOf(ArrayFileException.class);
  }

  @Test
  void badInputs() throws IOException {
    assertBad(dir.resolve("missing.npy"), "does not exist");
    assertBad(Files.createFile(dir.resolve("empty.npy")), "is empty");
    Path magic = dir.resolve("magic.npy");
    Files.writeString(magic, "PK\u0003\u0004 definitely not npy");
    assertBad(magic, "not a .npy file", "magic");
    Path trunc = dir.resolve("trunc.npy");
    Files.write(
        trunc, npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (10,), }", new byte[40]));
    assertBad(trunc, "truncated", "80 data bytes", "file has 40");
    Path truncHeader = dir.resolve("trunch.npy");
    byte[] full = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
    Files.write(truncHeader, Arrays.copyOf(full, 30));
    assertBad(truncHeader, "truncated .npy header");
    Path dtype = dir.resolve("f2.npy");
    Files.write(
        dtype, npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", new byte[2]));
    assertBad(dtype, "unsupported dtype '<f2'", "expected one of <f8");
    Path structured = dir.resolve("rec.npy");
    Files.write(
        structured,
        npy(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    assertBad(structured, "unsupported dtype");
    Path fortran = dir.resolve("fortran.npy");
    Files.write(
        fortran,
        npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", new byte[32]));
    assertBad(fortran, "fortran_order", "C (row-major)");
    Path rank5 = dir.resolve("rank5.npy");
    Files.write(
        rank5,
        npy(
            1,
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1), }",
            new byte[8]));
    assertBad(rank5, "unsupported rank 5", "at most 4");
    Path absurd = dir.resolve("absurd.npy");
    Files.write(
        absurd,
        npy(
            1,
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }",
            new byte[8]));
    assertBad(absurd, "absurd shape", "overflows");
    Path huge = dir.resolve("huge.npy");
    Files.write(
        huge,
        npy(
            1,
            "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }",
            new byte[8]));
    assertBad(huge, "overflows");
    Path version = dir.resolve("v9.npy");
    byte[] v9 = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
    v9[6] = 9;
    Files.write(version, v9);
    assertBad(version, "unsupported .npy version 9.0");
    Path garbage = dir.resolve("garbage.npy");
    Files.write(garbage, npy(1, "not a dict", new byte[8]));
    assertBad(garbage, "corrupt .npy header");
  }

  @Test
  void writeIntoMissingOrReadOnlyDirectoryLeavesNothing() throws IOException {
    try (NdArray a = Samples.filled(alloc, DType.FLOAT64, Shape.of(4), 1, 1)) {
      Path missing = dir.resolve("no/such/dir/a.npy");
      assertThatThrownBy(() -> NpyFiles.write(a, missing))
          .isInstanceOf(ArrayFileException.class)
          .hasMessageContaining(missing.toString())
          .hasMessageContaining("does not exist");
      Path ro = ReadOnly.directory(dir);
      Path f = ro.resolve("a.npy");
      assertThatThrownBy(() -> NpyFiles.write(a, f))
          .isInstanceOf(ArrayFileException.class)
          .hasMessageContaining(f.toString());
      assertThat(f).doesNotExist();
      ReadOnly.assertUnchanged(ro);
    }
  }

  /** A .npy file of the given version with {@code dict} as header (padded) and {@code data}. */
  static byte[] npy(int major, String dict, byte[] data) throws IOException {
    int pre = major == 1 ? 10 : 12;
    int total = pre + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String text = dict + " ".repeat(padded - total) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      len.putShort((short) text.length());
    } else {
      len.putInt(text.length());
    }
    out.write(len.array());
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.write(data);
    return out.toByteArray();
  }

  private static byte[] le4(int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }
}
