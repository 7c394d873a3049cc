package org.jetlag.graph;

/** A graph document that cannot be read: malformed JSON, or JSON that is not a graph. */
public final class GraphFormatException extends JetLagException {
  private static final long serialVersionUID = 1L;

  /** A format error with a complete message. */
  public GraphFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A format error with a complete message. */
  public GraphFormatException(String message) {
    super(message);
  }
}
