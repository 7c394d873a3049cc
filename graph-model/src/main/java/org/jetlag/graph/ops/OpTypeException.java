package org.jetlag.graph.ops;

import java.util.Optional;

/**
 * Thrown by a {@link TypeRule} when the inputs or parameters it was given do not fit the op; the
 * validator turns it into a diagnostic naming the node.
 */
public final class OpTypeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<String> port;

  /** A problem with one port (or parameter name), or with the op as a whole if null. */
  public OpTypeException(String port, String message) {
    super(message);
    this.port = Optional.ofNullable(port);
  }

  /** The port or parameter concerned, if any. */
  public Optional<String> port() {
    return port;
  }
}
