package org.jetlag.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShapeTest {
  private static final long U = Shape.UNKNOWN;

  private static Optional<Shape> bc(Shape a, Shape b) {
    Optional<Shape> ab = Shape.broadcast(a, b);
    // Broadcasting is symmetric.
    assertThat(Shape.broadcast(b, a)).isEqualTo(ab);
    return ab;
  }

  @Test
  void broadcastsLikeNumpy() {
    assertThat(bc(Shape.of(3, 1), Shape.of(4))).contains(Shape.of(3, 4));
    assertThat(bc(Shape.SCALAR, Shape.of(2, 3))).contains(Shape.of(2, 3));
    assertThat(bc(Shape.of(5, 1, 4), Shape.of(3, 1))).contains(Shape.of(5, 3, 4));
    assertThat(bc(Shape.of(2, 3), Shape.of(2, 3))).contains(Shape.of(2, 3));
    assertThat(bc(Shape.of(0), Shape.of(1))).contains(Shape.of(0));
    assertThat(bc(Shape.of(3), Shape.of(4))).isEmpty();
    assertThat(bc(Shape.of(2, 3), Shape.of(3, 3))).isEmpty();
  }

  @Test
  void broadcastKeepsUnknownDimensions() {
    assertThat(bc(Shape.of(U, 3), Shape.of(3))).contains(Shape.of(U, 3));
    assertThat(bc(Shape.of(U, 3), Shape.of(U, 1))).contains(Shape.of(U, 3));
    // unknown against a known n > 1: the run-time length must be n
    assertThat(bc(Shape.of(U, 3), Shape.of(5, 3))).contains(Shape.of(5, 3));
    assertThat(bc(Shape.of(U), Shape.of(1))).contains(Shape.of(U));
    assertThat(bc(Shape.of(U, 3), Shape.of(U, 4))).isEmpty();
  }

  @Test
  void broadcastThatOverflowsTheElementCountIsRefused() {
    Shape a = Shape.of(1L << 40, 1);
    Shape b = Shape.of(1, 1L << 40);
    assertThatThrownBy(() -> Shape.broadcast(a, b))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64-bit");
  }

  @Test
  void elementCountOverflowIsAnIllegalArgument() {
    assertThatThrownBy(() -> Shape.of(1L << 32, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[4294967296,4294967296]")
        .hasMessageContaining("64-bit");
    assertThat(Shape.of(1L << 31, 1L << 31).knownSize()).isEqualTo(1L << 62);
  }

  @Test
  void rankAboveFourIsRejected() {
    assertThat(Shape.of(1, 2, 3, 4).rank()).isEqualTo(4);
    assertThatThrownBy(() -> Shape.of(1, 2, 3, 4, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rank 5 exceeds the maximum rank 4: [1,2,3,4,5]");
  }

  @Test
  void negativeDimensionsOtherThanUnknownAreRejected() {
    assertThatThrownBy(() -> Shape.of(3, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 1 of [3,-2] is negative");
  }

  @Test
  void rendersWithQuestionMarksForUnknown() {
    assertThat(Shape.SCALAR).hasToString("[]");
    assertThat(Shape.of(U, 128)).hasToString("[?,128]");
    assertThat(Shape.of(2, 3, 4)).hasToString("[2,3,4]");
    assertThat(TensorType.of(DType.FLOAT32, U, 3)).hasToString("float32[?,3]");
  }

  @Test
  void sizesAndAccessors() {
    Shape s = Shape.of(2, 3, 4);
    assertThat(s.size()).contains(24L);
    assertThat(s.rowSize()).isEqualTo(12);
    assertThat(s.toList()).containsExactly(2L, 3L, 4L);
    assertThat(Shape.of(List.of(2L, 3L, 4L))).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(s.dropLeading()).isEqualTo(Shape.of(3, 4));
    assertThat(s.withDim(0, U)).isEqualTo(Shape.of(U, 3, 4));
    assertThat(Shape.of(U, 3).size()).isEmpty();
    assertThat(Shape.of(U, 3).isKnown()).isFalse();
    assertThat(Shape.SCALAR.knownSize()).isEqualTo(1);
    assertThat(Shape.SCALAR.rowSize()).isEqualTo(1);
    assertThatThrownBy(() -> Shape.of(U, 3).knownSize()).isInstanceOf(IllegalStateException.class);
    long[] dims = s.toArray();
    dims[0] = 99;
    assertThat(s.dim(0)).isEqualTo(2);
  }

  @Test
  void normalisesAxes() {
    Shape s = Shape.of(2, 3, 4);
    assertThat(s.normaliseAxis(-1)).isEqualTo(2);
    assertThat(s.normaliseAxis(0)).isEqualTo(0);
    assertThat(s.normaliseAxis(3)).isEqualTo(-1);
    assertThat(s.normaliseAxis(-4)).isEqualTo(-1);
  }
}
