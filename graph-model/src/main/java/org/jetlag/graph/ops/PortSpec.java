package org.jetlag.graph.ops;

import java.util.Objects;

/**
 * A named input or output of an op.
 *
 * @param name the port name used in edges ({@code "n7:rhs"})
 * @param doc one line for tooltips and the op reference
 * @param variadic true when the port takes any number of arrays, addressed {@code name.0}, {@code
 *     name.1}, …
 */
public record PortSpec(String name, String doc, boolean variadic) {
  /** Validates the components. */
  public PortSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(doc, "doc");
  }

  /** A port taking one array. */
  public static PortSpec of(String name, String doc) {
    return new PortSpec(name, doc, false);
  }
}
