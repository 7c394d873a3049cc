package org.jetlag.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.OpKind.ReduceFn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Partials survive a trip through bytes: combining decoded partials gives the same bits. */
class PartialCodecTest {
  @ParameterizedTest
  @EnumSource(ReduceFn.class)
  void roundTripKeepsEveryBit(ReduceFn fn) throws IOException {
    Random r = new Random(fn.ordinal());
    Shape s = Shape.of(7, 3);
    double[] a = new double[21];
    double[] b = new double[21];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
      b[i] = r.nextGaussian();
    }
    boolean[] axes = {true, false};
    DType in = fn == ReduceFn.ALL || fn == ReduceFn.ANY ? DType.BOOL : DType.FLOAT64;
    Block x = in == DType.BOOL ? bools(a) : Block.wrap(DType.FLOAT64, a);
    Block y = in == DType.BOOL ? bools(b) : Block.wrap(DType.FLOAT64, b);
    Reductions.Partial p = Reductions.partial(fn, x, s, axes, 0);
    Reductions.Partial q = Reductions.partial(fn, y, s, axes, 7);
    Block direct = Reductions.finish(Reductions.combine(p, q), 1);
    Block decoded = Reductions.finish(Reductions.combine(trip(p), trip(q)), 1);
    assertThat(decoded.dtype()).isEqualTo(direct.dtype());
    for (int i = 0; i < direct.length(); i++) {
      assertThat(Double.doubleToRawLongBits(decoded.getAsDouble(i)))
          .as("%s element %s", fn, i)
          .isEqualTo(Double.doubleToRawLongBits(direct.getAsDouble(i)));
    }
  }

  private static Block bools(double[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      l[i] = v[i] > 0 ? 1 : 0;
    }
    return Block.wrap(DType.BOOL, l);
  }

  private static Reductions.Partial trip(Reductions.Partial p) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    p.writeTo(new DataOutputStream(bytes));
    return Reductions.Partial.readFrom(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
