package org.jetlag.runner;

import org.jetlag.graph.JetLagException;

/**
 * A run that failed; the message names the node and op ({@code node 'n3' (solve): matrix is
 * singular}) and, for bad inputs, the file and expected versus actual.
 */
public final class RunFailure extends JetLagException {
  private static final long serialVersionUID = 1L;

  /** A failure at a node; {@code nodeId} may be null for failures before any node ran. */
  public RunFailure(String message, String nodeId, Throwable cause) {
    super(message, nodeId, cause);
  }

  /** A failure at a node, formatted in the one error shape. */
  public static RunFailure at(String nodeId, String op, String message, Throwable cause) {
    return new RunFailure("node '" + nodeId + "' (" + op + "): " + message, nodeId, cause);
  }
}
