package org.jetlag.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetlag.graph.ops.OpSpec;

/**
 * A graph that passed validation, with what validation learned: every port's type, every node's
 * canonical parameters, a topological order and the typed bodies of composite and loop nodes.
 *
 * <p>Runners execute a {@code TypedGraph}; they never see an invalid graph. Immutable.
 */
public interface TypedGraph {
  /** The graph as written. */
  Graph graph();

  /** The nodes in a deterministic topological order (document order breaks ties). */
  List<Node> order();

  /** The catalogue entry of a node. */
  OpSpec spec(String nodeId);

  /** The node's parameters coerced to their canonical types, defaults filled in. */
  Map<String, Object> params(String nodeId);

  /** The node's input port names in order (variadic ones expanded: {@code arrays.0}, …). */
  List<String> inputPorts(String nodeId);

  /** The node's output port names in order. */
  List<String> outputPorts(String nodeId);

  /** The static type of an output port. */
  TensorType type(PortRef output);

  /** The static type on a node's input port. */
  default TensorType inputType(String nodeId, String port) {
    return type(source(nodeId, port));
  }

  /** The output port that feeds a node's input port. */
  PortRef source(String nodeId, String port);

  /** The input ports fed by an output port, in edge order. */
  List<PortRef> consumers(PortRef output);

  /** The typed body of a composite or loop node. */
  TypedGraph body(String nodeId);

  /** For loop nodes: the carried names (body inputs with a same-named output), in order. */
  List<String> carried(String nodeId);

  /** The {@code input} node for a graph input name. */
  Optional<Node> inputNode(String name);

  /** Warnings found (errors never reach a typed graph). */
  List<Diagnostic> warnings();
}
