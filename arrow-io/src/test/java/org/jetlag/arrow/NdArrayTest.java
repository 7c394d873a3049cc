package org.jetlag.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NdArrayTest {
  private BufferAllocator alloc;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(1L << 30);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  @Test
  void allocateSplitsRowsIntoChunks() {
    try (NdArray a = NdArray.allocate(alloc, DType.FLOAT64, Shape.of(10, 3), 4)) {
      assertThat(a.chunks()).hasSize(3);
      assertThat(a.chunks()).extracting(Chunk::rowStart).containsExactly(0L, 4L, 8L);
      assertThat(a.chunks()).extracting(Chunk::rows).containsExactly(4L, 4L, 2L);
      assertThat(a.size()).isEqualTo(30);
      assertThat(a.byteSize()).isEqualTo(240);
      assertThat(a.type()).hasToString("float64[10,3]");
      assertThat(a.toDoubles()).containsOnly(0.0);
      assertThat(alloc.getAllocatedMemory()).isGreaterThanOrEqualTo(240);
    }
    assertThat(alloc.getAllocatedMemory()).isZero();
  }

  @Test
  void flatAccessAcrossChunks() {
    double[] v = new double[30];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.5;
    }
    try (NdArray one = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(10, 3), v);
        NdArray a = NdArray.allocate(alloc, DType.FLOAT64, Shape.of(10, 3), 3)) {
      for (Chunk c : a.chunks()) {
        c.setDoubles(0, v, (int) (c.rowStart() * 3), (int) c.size());
      }
      assertThat(a.toDoubles()).isEqualTo(v).isEqualTo(one.toDoubles());
      for (int i = 0; i < 30; i++) {
        assertThat(a.getDouble(i)).isEqualTo(v[i]);
        assertThat(a.getLong(i)).isEqualTo((long) v[i]);
      }
      assertThatThrownBy(() -> a.getDouble(30)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void fromLongsConvertsAndScalarsWork() {
    try (NdArray a = NdArray.fromLongs(alloc, DType.BOOL, Shape.of(4), new long[] {0, 2, -1, 0});
        NdArray s = NdArray.fromDoubles(alloc, DType.INT32, Shape.SCALAR, new double[] {-7.9})) {
      assertThat(a.toLongs()).containsExactly(0, 1, 1, 0);
      assertThat(s.chunks()).hasSize(1);
      assertThat(s.toLongs()).containsExactly(-7);
      assertThat(s.type()).hasToString("int32[]");
    }
    assertThatThrownBy(
            () -> NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(2, 2), new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 elements");
  }

  @Test
  void emptyArraysHaveNoElements() {
    try (NdArray a = NdArray.allocate(alloc, DType.INT64, Shape.of(0, 5), 10);
        NdArray b = NdArray.allocate(alloc, DType.INT64, Shape.of(4, 0), 3)) {
      assertThat(a.chunks()).isEmpty();
      assertThat(a.toLongs()).isEmpty();
      assertThat(b.size()).isZero();
      assertThat(b.chunks()).hasSize(2);
      assertThat(b.toDoubles()).isEmpty();
    }
  }

  @Test
  void ofValidatesChunksAndTakesOwnership() {
    Chunk c0 = Chunk.allocate(alloc, DType.FLOAT32, Shape.of(2, 3), 0);
    Chunk c1 = Chunk.allocate(alloc, DType.FLOAT32, Shape.of(1, 3), 2);
    try (NdArray a = NdArray.of(DType.FLOAT32, Shape.of(3, 3), List.of(c0, c1))) {
      assertThat(a.chunks()).containsExactly(c0, c1);
    }
    assertThat(c0.isClosed()).isTrue();

    Chunk gap = Chunk.allocate(alloc, DType.FLOAT32, Shape.of(1, 3), 1);
    assertThatThrownBy(() -> NdArray.of(DType.FLOAT32, Shape.of(2, 3), List.of(gap)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected rowStart 0");
    assertThat(gap.isClosed()).isTrue();

    Chunk wrongRow = Chunk.allocate(alloc, DType.FLOAT32, Shape.of(2, 4), 0);
    assertThatThrownBy(() -> NdArray.of(DType.FLOAT32, Shape.of(2, 3), List.of(wrongRow)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row shape");

    Chunk wrongType = Chunk.allocate(alloc, DType.INT32, Shape.of(2, 3), 0);
    assertThatThrownBy(() -> NdArray.of(DType.FLOAT32, Shape.of(2, 3), List.of(wrongType)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dtype");

    Chunk few = Chunk.allocate(alloc, DType.FLOAT32, Shape.of(1, 3), 0);
    assertThatThrownBy(() -> NdArray.of(DType.FLOAT32, Shape.of(2, 3), List.of(few)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cover 1 rows, expected 2");
  }

  @Test
  void childAllocatorsAreNamedAndLimited() {
    try (BufferAllocator child = Allocators.child(alloc, "n7", 1024)) {
      assertThat(child.getName()).isEqualTo("n7");
      assertThatThrownBy(() -> NdArray.allocate(child, DType.FLOAT64, Shape.of(200), 100))
          .isInstanceOf(org.apache.arrow.memory.OutOfMemoryException.class);
      assertThat(child.getAllocatedMemory()).isZero();
    }
  }
}
