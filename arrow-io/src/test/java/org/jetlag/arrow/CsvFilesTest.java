package org.jetlag.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CsvFilesTest {
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

  @Test
  void readsHeaderDelimiterAndSpecialValues() throws IOException {
    Path f = dir.resolve("a.csv");
    Files.writeString(f, "x;y;z\n1.5; -2 ;nan\n\ninf;-inf;NaN\n1e3;Infinity;0\n");
    try (NdArray a = CsvFiles.read(f, alloc, DType.FLOAT64, true, ';')) {
      assertThat(a.type()).hasToString("float64[3,3]");
      assertThat(a.toDoubles())
          .containsExactly(
              1.5,
              -2,
              Double.NaN,
              Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY,
              Double.NaN,
              1000,
              Double.POSITIVE_INFINITY,
              0);
    }
    Path ints = dir.resolve("i.csv");
    Files.writeString(ints, "1 2\t3\n-4  5 9223372036854775807\n");
    try (NdArray a = CsvFiles.read(ints, alloc, DType.INT64, false, ' ')) {
      assertThat(a.toLongs()).containsExactly(1, 2, 3, -4, 5, Long.MAX_VALUE);
    }
    Path bools = dir.resolve("b.csv");
    Files.writeString(bools, "True,False\n1,0\n");
    try (NdArray a = CsvFiles.read(bools, alloc, DType.BOOL, false, ',')) {
      assertThat(a.toLongs()).containsExactly(1, 0, 1, 0);
    }
    Path headerOnly = dir.resolve("h.csv");
    Files.writeString(headerOnly, "a,b,c\n");
    try (NdArray a = CsvFiles.read(headerOnly, alloc, DType.INT32, true, ',')) {
      assertThat(a.type()).hasToString("int32[0,3]");
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void roundTrips(DType dtype) {
    for (Shape s : new Shape[] {Shape.of(5, 3), Shape.of(6), Shape.of(0, 2)}) {
      Path f = dir.resolve("r.csv");
      try (NdArray a = Samples.filled(alloc, dtype, s, 2, 11)) {
        CsvFiles.write(a, f);
        if (a.size() == 0) {
          // An empty array writes an empty file, which reading rejects as "empty".
          assertThat(f).isEmptyFile();
          continue;
        }
        try (NdArray b = CsvFiles.read(f, alloc, dtype, false, ',')) {
          long cols = s.rank() == 2 ? s.dim(1) : 1;
          long rows = s.dim(0) == 0 ? 0 : s.dim(0);
          assertThat(b.shape()).isEqualTo(Shape.of(rows, rows == 0 ? 0 : cols));
          assertThat(b.toDoubles()).isEqualTo(a.toDoubles());
          assertThat(b.toLongs()).isEqualTo(a.toLongs());
        }
      }
    }
  }

  @Test
  void writesNumpySpellings() throws IOException {
    Path f = dir.resolve("s.csv");
    try (NdArray a =
        NdArray.fromDoubles(
            alloc,
            DType.FLOAT64,
            Shape.of(1, 4),
            new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1})) {
      CsvFiles.write(a, f);
    }
    assertThat(Files.readString(f)).isEqualTo("nan,inf,-inf,0.1\n");
  }

  @Test
  void badInputsNameFileLineAndColumn() throws IOException {
    Path ragged = dir.resolve("ragged.csv");
    Files.writeString(ragged, "1,2,3\n4,5,6\n7,8\n");
    assertThatThrownBy(() -> CsvFiles.read(ragged, alloc, DType.FLOAT64, false, ','))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(ragged.toString())
        .hasMessageContaining("line 3 has 2 columns, expected 3");
    Path text = dir.resolve("text.csv");
    Files.writeString(text, "h1,h2\n1,2\n3,abc\n");
    assertThatThrownBy(() -> CsvFiles.read(text, alloc, DType.FLOAT64, true, ','))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(text.toString())
        .hasMessageContaining("line 3, column 2: 'abc' is not a number");
    Path frac = dir.resolve("frac.csv");
    Files.writeString(frac, "1,2.5\n");
    assertThatThrownBy(() -> CsvFiles.read(frac, alloc, DType.INT32, false, ','))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining("line 1, column 2: '2.5' is not an integer");
    Path empty = Files.createFile(dir.resolve("empty.csv"));
    assertThatThrownBy(() -> CsvFiles.read(empty, alloc, DType.FLOAT64, false, ','))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("empty");
    Path missing = dir.resolve("missing.csv");
    assertThatThrownBy(() -> CsvFiles.read(missing, alloc, DType.FLOAT64, false, ','))
        .isInstanceOf(ArrayFileException.class)
        .hasMessageContaining("does not exist");
    try (NdArray a = NdArray.allocate(alloc, DType.FLOAT64, Shape.of(2, 2, 2), 1)) {
      Path f = dir.resolve("r3.csv");
      assertThatThrownBy(() -> CsvFiles.write(a, f))
          .isInstanceOf(ArrayFileException.class)
          .hasMessageContaining("rank 0 to 2");
      assertThat(f).doesNotExist();
    }
  }
}
