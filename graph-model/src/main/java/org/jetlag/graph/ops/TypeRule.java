package org.jetlag.graph.ops;

import java.util.List;
import org.jetlag.graph.TensorType;

/** Infers an op's output types from its input types and parameters. */
@FunctionalInterface
public interface TypeRule {
  /**
   * The output types, one per output port in declaration order.
   *
   * @throws OpTypeException when the inputs or parameters do not fit
   */
  List<TensorType> infer(InferContext ctx);
}
