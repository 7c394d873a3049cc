package org.jetlag.flink.cluster;

/**
 * A Flink cluster could not be started, reached or stopped; the message says which cluster (its
 * folder or REST address) and why, complete enough to show a user as it is.
 */
public final class FlinkClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with a complete message. */
  public FlinkClusterException(String message) {
    super(message);
  }

  /** A failure with a complete message and its cause. */
  public FlinkClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
