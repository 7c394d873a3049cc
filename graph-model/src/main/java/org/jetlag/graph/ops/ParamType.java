package org.jetlag.graph.ops;

/** The kinds of value a parameter can hold, with their JSON spelling. */
public enum ParamType {
  /** A 64-bit integer; canonical Java type {@code Long}. */
  INT("int"),
  /** A double; JSON integers are accepted; canonical {@code Double}. */
  FLOAT("float"),
  /** {@code true}/{@code false}; canonical {@code Boolean}. */
  BOOL("bool"),
  /** A string, possibly limited to choices; canonical {@code String}. */
  STRING("string"),
  /** A dtype wire name such as {@code "float64"}; canonical {@link org.jetlag.graph.DType}. */
  DTYPE("dtype"),
  /** A list of dimensions, {@code null} for unknown; canonical {@link org.jetlag.graph.Shape}. */
  SHAPE("shape"),
  /** A list of integers (a single integer is accepted); canonical {@code List<Long>}. */
  INT_LIST("int[]"),
  /** Nested lists of numbers or booleans; canonical {@link Literal}. */
  TENSOR("tensor");

  private final String wireName;

  ParamType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in docs and messages. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
