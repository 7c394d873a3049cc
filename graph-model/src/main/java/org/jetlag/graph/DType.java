package org.jetlag.graph;

import java.util.Locale;
import java.util.Optional;

/**
 * The element types an array can have, with NumPy's names and promotion rules.
 *
 * <p>Wire names ({@link #wireName()}) are stable strings used in JSON, Arrow metadata and the CLI;
 * they never change when the enum is reordered.
 */
public enum DType {
  /** A boolean stored as one byte per element. */
  BOOL("bool", 1),
  /** A 32-bit signed integer. */
  INT32("int32", 4),
  /** A 64-bit signed integer. */
  INT64("int64", 8),
  /** An IEEE 754 single-precision float. */
  FLOAT32("float32", 4),
  /** An IEEE 754 double-precision float. */
  FLOAT64("float64", 8);

  private final String wireName;
  private final int byteWidth;

  DType(String wireName, int byteWidth) {
    this.wireName = wireName;
    this.byteWidth = byteWidth;
  }

  /** The NumPy-compatible name used in JSON, Arrow metadata and messages. */
  public String wireName() {
    return wireName;
  }

  /** Bytes one element occupies in memory and in Arrow buffers. */
  public int byteWidth() {
    return byteWidth;
  }

  /** True for float32 and float64. */
  public boolean isFloating() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** True for int32 and int64. */
  public boolean isInteger() {
    return this == INT32 || this == INT64;
  }

  /** True for int32, int64, float32 and float64. */
  public boolean isNumeric() {
    return this != BOOL;
  }

  /**
   * The result type of a binary arithmetic operation, as {@code numpy.promote_types}: bool &lt;
   * int32 &lt; int64 &lt; float32 &lt; float64, except that any integer with float32 gives float64.
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if ((a == FLOAT32 && b.isInteger()) || (b == FLOAT32 && a.isInteger())) {
      return FLOAT64;
    }
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /** The floating type an operation like {@code sqrt} or {@code mean} produces for this input. */
  public DType toFloating() {
    return this == FLOAT32 ? FLOAT32 : FLOAT64;
  }

  /** Looks up a dtype by its wire name ({@code "float64"}), case-insensitively. */
  public static Optional<DType> fromWireName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (DType t : values()) {
      if (t.wireName.equals(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
