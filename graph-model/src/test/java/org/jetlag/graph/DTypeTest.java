package org.jetlag.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DTypeTest {
  private static final DType[] ORDER = {
    DType.BOOL, DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64
  };

  /**
   * {@code numpy.promote_types(row, column)} as printed by NumPy 2.x:
   *
   * <pre>
   * import numpy as np
   * ts = ["bool", "int32", "int64", "float32", "float64"]
   * for a in ts: print(a, [str(np.promote_types(a, b)) for b in ts])
   * </pre>
   */
  private static final String[][] NUMPY = {
    /* bool    */ {"bool", "int32", "int64", "float32", "float64"},
    /* int32   */ {"int32", "int32", "int64", "float64", "float64"},
    /* int64   */ {"int64", "int64", "int64", "float64", "float64"},
    /* float32 */ {"float32", "float64", "float64", "float32", "float64"},
    /* float64 */ {"float64", "float64", "float64", "float64", "float64"},
  };

  @Test
  void promotionMatchesNumpyForAll25Pairs() {
    int checked = 0;
    for (int i = 0; i < ORDER.length; i++) {
      for (int j = 0; j < ORDER.length; j++) {
        assertThat(DType.promote(ORDER[i], ORDER[j]).wireName())
            .as("promote(%s, %s)", ORDER[i], ORDER[j])
            .isEqualTo(NUMPY[i][j]);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(25);
    assertThat(DType.values()).containsExactlyInAnyOrder(ORDER);
  }

  @Test
  void wireNamesRoundTripCaseInsensitively() {
    for (DType t : DType.values()) {
      assertThat(DType.fromWireName(t.wireName())).contains(t);
      assertThat(DType.fromWireName(t.wireName().toUpperCase(java.util.Locale.ROOT))).contains(t);
      assertThat(t.toString()).isEqualTo(t.wireName());
    }
    assertThat(DType.fromWireName("float16")).isEmpty();
  }

  @Test
  void classificationAndWidths() {
    assertThat(DType.FLOAT32.isFloating()).isTrue();
    assertThat(DType.INT32.isFloating()).isFalse();
    assertThat(DType.INT64.isInteger()).isTrue();
    assertThat(DType.BOOL.isNumeric()).isFalse();
    assertThat(DType.BOOL.byteWidth()).isEqualTo(1);
    assertThat(DType.INT32.byteWidth()).isEqualTo(4);
    assertThat(DType.FLOAT64.byteWidth()).isEqualTo(8);
    assertThat(DType.INT32.toFloating()).isEqualTo(DType.FLOAT64);
    assertThat(DType.FLOAT32.toFloating()).isEqualTo(DType.FLOAT32);
    assertThat(DType.BOOL.toFloating()).isEqualTo(DType.FLOAT64);
  }
}
