package org.jetlag.graph;

import java.util.Objects;

/**
 * One end of an edge: a node id and one of its port names; written {@code n7:rhs}.
 *
 * @param node the node id
 * @param port the port name (for variadic ports {@code arrays.0}, {@code arrays.1}, …)
 */
public record PortRef(String node, String port) {
  /** Validates the components. */
  public PortRef {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(port, "port");
  }

  /**
   * Parses {@code node:port}; a bare {@code node} means its {@code out} port.
   *
   * @throws IllegalArgumentException if the text is empty or has an empty part
   */
  public static PortRef parse(String text) {
    int i = text.indexOf(':');
    String n = i < 0 ? text : text.substring(0, i);
    String p = i < 0 ? "out" : text.substring(i + 1);
    if (n.isEmpty() || p.isEmpty()) {
      throw new IllegalArgumentException("expected \"node:port\", got \"" + text + "\"");
    }
    return new PortRef(n, p);
  }

  @Override
  public String toString() {
    return node + ":" + port;
  }
}
