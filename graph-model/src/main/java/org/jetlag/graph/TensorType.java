package org.jetlag.graph;

import java.util.Objects;

/**
 * The static type of a port: a dtype and a shape; rendered {@code float64[?,128]}.
 *
 * @param dtype the element type
 * @param shape the dimensions, possibly with an unknown leading dimension
 */
public record TensorType(DType dtype, Shape shape) implements java.io.Serializable {
  /** Validates the components. */
  public TensorType {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
  }

  /** A type from a dtype and dimensions. */
  public static TensorType of(DType dtype, long... dims) {
    return new TensorType(dtype, Shape.of(dims));
  }

  /** This type with another dtype. */
  public TensorType withDType(DType d) {
    return new TensorType(d, shape);
  }

  /** This type with another shape. */
  public TensorType withShape(Shape s) {
    return new TensorType(dtype, s);
  }

  @Override
  public String toString() {
    return dtype.wireName() + shape;
  }
}
