package org.jetlag.graph.ops;

import java.util.List;
import java.util.Optional;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/**
 * What a {@link TypeRule} sees: the types on its input ports and its parameters, already checked
 * against their {@link ParamSpec}s and with defaults filled in.
 *
 * <p>Runners use the same rules with concrete shapes to size their outputs.
 */
public interface InferContext {
  /** The type on a single input port. */
  TensorType in(String port);

  /** The types on a variadic input port, in index order. */
  List<TensorType> variadic(String port);

  /** A parameter in its canonical type, or empty when absent and without default. */
  Optional<Object> param(String name);

  /** An integer parameter that has a value or a default. */
  default long getLong(String name) {
    return (Long) require(name);
  }

  /** A float parameter that has a value or a default. */
  default double getDouble(String name) {
    return (Double) require(name);
  }

  /** A boolean parameter that has a value or a default. */
  default boolean getBool(String name) {
    return (Boolean) require(name);
  }

  /** A string parameter that has a value or a default. */
  default String getString(String name) {
    return (String) require(name);
  }

  /** A dtype parameter that has a value or a default. */
  default DType getDType(String name) {
    return (DType) require(name);
  }

  /** A shape parameter that has a value or a default. */
  default Shape getShape(String name) {
    return (Shape) require(name);
  }

  /** An integer-list parameter, empty when absent. */
  @SuppressWarnings("unchecked")
  default Optional<List<Long>> getLongs(String name) {
    return param(name).map(v -> (List<Long>) v);
  }

  /** A tensor literal parameter that has a value. */
  default Literal getLiteral(String name) {
    return (Literal) require(name);
  }

  /** A parameter that must be present (required ones are checked before the rule runs). */
  default Object require(String name) {
    return param(name)
        .orElseThrow(() -> new OpTypeException(name, "parameter '" + name + "' is required"));
  }
}
