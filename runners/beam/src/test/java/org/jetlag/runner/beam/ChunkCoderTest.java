package org.jetlag.runner.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.kernels.Block;
import org.junit.jupiter.api.Test;

/** The chunk coder: round trips, determinism and golden bytes (as Beam's CoderProperties do). */
class ChunkCoderTest {
  private static ChunkData chunk(DType t, Shape s, long rowStart, double... v) {
    return ChunkData.of(Block.ofDoubles(t, v), s, rowStart);
  }

  @Test
  void everyDtypeRoundTripsThroughTheCoder() throws Exception {
    Random r = new Random(7);
    for (DType t : DType.values()) {
      for (Shape s :
          new Shape[] {
            Shape.SCALAR, Shape.of(0), Shape.of(5), Shape.of(3, 2), Shape.of(2, 1, 2, 1)
          }) {
        double[] v = new double[(int) s.knownSize()];
        for (int i = 0; i < v.length; i++) {
          v[i] = t.isFloating() ? r.nextGaussian() : r.nextInt(1000) - 500;
        }
        ChunkData c = chunk(t, s, s.rank() == 0 ? 0 : 17, v);
        byte[] bytes = CoderUtils.encodeToByteArray(ChunkCoder.of(), c);
        ChunkData back = CoderUtils.decodeFromByteArray(ChunkCoder.of(), bytes);
        assertThat(back).isEqualTo(c);
        assertThat(CoderUtils.encodeToByteArray(ChunkCoder.of(), back))
            .as("deterministic: equal values, equal bytes")
            .isEqualTo(bytes);
        Block b = back.toBlock();
        for (int i = 0; i < v.length; i++) {
          assertThat(b.getAsDouble(i)).isEqualTo(Block.ofDoubles(t, v).getAsDouble(i));
        }
      }
    }
  }

  @Test
  void theEncodingIsPinnedByGoldenBytes() throws Exception {
    ChunkData c = chunk(DType.FLOAT64, Shape.of(2, 2), 4, 1.0, 2.0, -0.5, 3.25);
    String hex = HexFormat.of().formatHex(CoderUtils.encodeToByteArray(ChunkCoder.of(), c));
    // version 1, "float64", rank 2, dims 2 2, row 4, 32 bytes of little-endian doubles
    assertThat(hex)
        .isEqualTo(
            "01"
                + "0007"
                + "666c6f61743634"
                + "02"
                + "02"
                + "02"
                + "04"
                + "20"
                + "000000000000f03f"
                + "0000000000000040"
                + "000000000000e0bf"
                + "0000000000000a40");
    ChunkData b = chunk(DType.BOOL, Shape.of(3), 0, 1, 0, 1);
    assertThat(HexFormat.of().formatHex(CoderUtils.encodeToByteArray(ChunkCoder.of(), b)))
        .isEqualTo("01" + "0004" + "626f6f6c" + "01" + "03" + "00" + "03" + "010001");
  }

  @Test
  void corruptBytesAreRefusedClearly() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChunkCoder.of().encode(chunk(DType.INT32, Shape.of(2), 0, 1, 2), out);
    byte[] ok = out.toByteArray();
    byte[] badVersion = ok.clone();
    badVersion[0] = 9;
    assertThatThrownBy(() -> ChunkCoder.of().decode(new ByteArrayInputStream(badVersion)))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("version 9");
    byte[] truncated = java.util.Arrays.copyOf(ok, ok.length - 1);
    assertThatThrownBy(() -> ChunkCoder.of().decode(new ByteArrayInputStream(truncated)))
        .isInstanceOf(IOException.class);
  }
}
