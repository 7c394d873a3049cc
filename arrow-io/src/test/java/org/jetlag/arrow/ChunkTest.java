package org.jetlag.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkTest {
  private BufferAllocator alloc;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(1L << 30);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  private static final double[] DOUBLES = {
    0.0,
    -0.0,
    1.5,
    -1.5,
    2.9,
    -2.9,
    1e10,
    -3e9,
    3e9,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    1e300,
    0x1p63,
    -0x1p63,
    16777217.0,
    1e-50
  };

  /** Each value twice: once through the small path, once through the bulk (NIO) path. */
  private static double[] padded(double[] v) {
    double[] out = new double[v.length * 3];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[i % v.length];
    }
    return out;
  }

  @Test
  void setDoublesConvertsLikeNumpyAstype() {
    double[] in = padded(DOUBLES);
    for (DType d : DType.values()) {
      try (Chunk c = Chunk.allocate(alloc, d, Shape.of(in.length), 0)) {
        c.setDoubles(0, in, 0, in.length);
        double[] bulk = new double[in.length];
        c.getDoubles(0, bulk, 0, in.length);
        long[] longs = new long[in.length];
        c.getLongs(0, longs, 0, in.length);
        for (int i = 0; i < in.length; i++) {
          double x = in[i];
          double expected;
          switch (d) {
            case FLOAT64 -> {
              expected = x;
            }
            case FLOAT32 -> {
              expected = (float) x;
            }
            case INT64 -> {
              expected = Double.isNaN(x) || Math.abs(x) >= 0x1p63 ? Long.MIN_VALUE : (long) x;
              if (x == -0x1p63) {
                expected = Long.MIN_VALUE;
              }
            }
            case INT32 -> {
              expected =
                  Double.isNaN(x) || Math.abs(x) >= 0x1p63 ? Integer.MIN_VALUE : (int) (long) x;
              if (x == -0x1p63) {
                expected = Integer.MIN_VALUE;
              }
            }
            default -> {
              expected = x != 0 || Double.isNaN(x) ? 1 : 0;
            }
          }
          assertThat(Double.valueOf(bulk[i]))
              .as("%s from %s", d, x)
              .isEqualTo(Double.valueOf(expected));
          assertThat(Double.valueOf(c.getDouble(i)))
              .as("%s single from %s", d, x)
              .isEqualTo(Double.valueOf(expected));
        }
      }
    }
  }

  @Test
  void specificConversions() {
    try (Chunk c = Chunk.allocate(alloc, DType.INT32, Shape.of(20), 0)) {
      long[] v = new long[20];
      v[0] = 1L << 32 | 5;
      v[1] = -1;
      v[2] = Integer.MAX_VALUE + 1L;
      c.setLongs(0, v, 0, 20);
      assertThat(c.getLong(0)).isEqualTo(5);
      assertThat(c.getLong(1)).isEqualTo(-1);
      assertThat(c.getLong(2)).isEqualTo(Integer.MIN_VALUE);
      c.setDouble(3, -2.7);
      c.setDouble(4, 3e9);
      assertThat(c.getLong(3)).isEqualTo(-2);
      assertThat(c.getLong(4)).isEqualTo(-1_294_967_296L); // 3e9 wrapped to int32
      c.setDouble(5, Double.NaN);
      assertThat(c.getLong(5)).isEqualTo(Integer.MIN_VALUE);
    }
    try (Chunk c = Chunk.allocate(alloc, DType.INT64, Shape.of(20), 0)) {
      long[] in = new long[20];
      in[0] = Long.MAX_VALUE;
      in[1] = Long.MIN_VALUE;
      c.setLongs(0, in, 0, 20);
      long[] out = new long[20];
      c.getLongs(0, out, 0, 20);
      assertThat(out).isEqualTo(in);
      assertThat(c.getDouble(0)).isEqualTo(0x1p63);
    }
    try (Chunk c = Chunk.allocate(alloc, DType.BOOL, Shape.of(20), 0)) {
      long[] in = new long[20];
      in[0] = 7;
      in[1] = -1;
      c.setLongs(0, in, 0, 20);
      assertThat(c.getLong(0)).isEqualTo(1);
      assertThat(c.getLong(1)).isEqualTo(1);
      assertThat(c.getLong(2)).isEqualTo(0);
      assertThat(c.buffer().getByte(0)).isEqualTo((byte) 1);
      c.setDouble(3, Double.NaN);
      assertThat(c.getDouble(3)).isEqualTo(1.0);
    }
    try (Chunk c = Chunk.allocate(alloc, DType.FLOAT32, Shape.of(20), 0)) {
      c.setDouble(0, 0.1);
      assertThat(c.getDouble(0)).isEqualTo((double) 0.1f);
      c.setLong(1, (1L << 24) + 1);
      assertThat(c.getLong(1)).isEqualTo(1L << 24);
      c.setDouble(2, 2.9);
      assertThat(c.getLong(2)).isEqualTo(2);
      c.setDouble(3, Float.NaN);
      assertThat(c.getLong(3)).isEqualTo(Long.MIN_VALUE);
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void offsetsAndRanges(DType d) {
    try (Chunk c = Chunk.allocate(alloc, d, Shape.of(10, 4), 20)) {
      assertThat(c.rows()).isEqualTo(10);
      assertThat(c.rowStart()).isEqualTo(20);
      assertThat(c.size()).isEqualTo(40);
      assertThat(c.byteSize()).isEqualTo(40L * d.byteWidth());
      double[] zeros = new double[40];
      c.getDoubles(0, zeros, 0, 40);
      assertThat(zeros).containsOnly(0.0);
      double[] src = new double[50];
      for (int i = 0; i < 50; i++) {
        src[i] = i % 2;
      }
      c.setDoubles(10, src, 5, 30);
      double[] dst = new double[60];
      c.getDoubles(10, dst, 7, 30);
      for (int i = 0; i < 30; i++) {
        assertThat(dst[7 + i]).isEqualTo(src[5 + i]);
      }
      assertThat(c.getDouble(9)).isZero();
      assertThatThrownBy(() -> c.getDoubles(20, dst, 0, 21))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> c.setDoubles(0, src, 45, 10))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> c.getLong(40)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void scalarChunkAndCloseIsIdempotent() {
    Chunk c = Chunk.allocate(alloc, DType.FLOAT64, Shape.SCALAR, 0);
    assertThat(c.rows()).isEqualTo(1);
    assertThat(c.size()).isEqualTo(1);
    c.setDouble(0, 4.5);
    assertThat(c.getDouble(0)).isEqualTo(4.5);
    c.close();
    c.close();
    assertThat(alloc.getAllocatedMemory()).isZero();
    assertThatThrownBy(() -> c.getDouble(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsUnknownShapeAndBadRowStart() {
    assertThatThrownBy(() -> Chunk.allocate(alloc, DType.INT32, Shape.of(-1, 3), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[?,3]");
    assertThatThrownBy(() -> Chunk.allocate(alloc, DType.INT32, Shape.of(3), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sliceRowsSharesMemoryAndClosesIndependently() {
    Chunk c = Chunk.allocate(alloc, DType.FLOAT64, Shape.of(4, 2), 10);
    double[] v = {0, 1, 2, 3, 4, 5, 6, 7};
    c.setDoubles(0, v, 0, 8);
    long before = alloc.getAllocatedMemory();
    Chunk s = c.sliceRows(1, 2, 100);
    assertThat(alloc.getAllocatedMemory()).as("a view allocates nothing").isEqualTo(before);
    assertThat(s.shape()).isEqualTo(Shape.of(2, 2));
    assertThat(s.rowStart()).isEqualTo(100);
    double[] got = new double[4];
    s.getDoubles(0, got, 0, 4);
    assertThat(got).containsExactly(2, 3, 4, 5);
    c.setDouble(2, 42);
    assertThat(s.getDouble(0)).as("shared memory").isEqualTo(42);
    c.close();
    assertThat(s.getDouble(3)).as("the view keeps the memory alive").isEqualTo(5);
    s.close();
    assertThat(alloc.getAllocatedMemory()).isZero();
    try (Chunk small = Chunk.allocate(alloc, DType.FLOAT64, Shape.of(2), 0)) {
      assertThatThrownBy(() -> small.sliceRows(1, 2, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not inside");
    }
  }
}
