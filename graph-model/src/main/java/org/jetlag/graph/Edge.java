package org.jetlag.graph;

import java.util.Objects;

/**
 * A connection from an output port to an input port.
 *
 * @param from the producing node's output port
 * @param to the consuming node's input port
 */
public record Edge(PortRef from, PortRef to) {
  /** Validates the components. */
  public Edge {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  /** An edge from {@code "a:out"} to {@code "b:x"} written as text. */
  public static Edge of(String from, String to) {
    return new Edge(PortRef.parse(from), PortRef.parse(to));
  }

  @Override
  public String toString() {
    return from + " -> " + to;
  }
}
