package org.jetlag.graph;

import java.util.Optional;

/**
 * The root of every exception JetLag throws on purpose.
 *
 * <p>The message is complete and meant for users: it names the file, node, op and port where they
 * are known, with expected versus actual. Subclasses say which stage failed.
 */
public class JetLagException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<String> nodeId;

  /** An error not tied to a node. */
  public JetLagException(String message) {
    this(message, null, null);
  }

  /** An error not tied to a node, with its cause. */
  public JetLagException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** An error about a node; {@code nodeId} may be null when unknown. */
  public JetLagException(String message, String nodeId, Throwable cause) {
    super(message, cause);
    this.nodeId = Optional.ofNullable(nodeId);
  }

  /** The node the error concerns, if any. */
  public Optional<String> nodeId() {
    return nodeId;
  }
}
