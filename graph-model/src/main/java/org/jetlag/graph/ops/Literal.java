package org.jetlag.graph.ops;

import java.util.List;
import java.util.Objects;
import org.jetlag.graph.Shape;

/**
 * A small constant array written inline in a graph: its shape and its values in row-major order
 * (booleans as 0 and 1).
 *
 * @param shape the dimensions, all known
 * @param values the elements, {@code shape.knownSize()} of them
 */
public record Literal(Shape shape, List<Double> values) implements java.io.Serializable {
  /** Validates that the values fill the shape. */
  public Literal {
    Objects.requireNonNull(shape, "shape");
    values = List.copyOf(values);
    if (shape.knownSize() != values.size()) {
      throw new IllegalArgumentException(
          "literal of shape "
              + shape
              + " needs "
              + shape.knownSize()
              + " values, got "
              + values.size());
    }
  }
}
