package org.jetlag.kernels;

import org.jetlag.graph.JetLagException;

/**
 * A numeric error found while computing: a singular matrix, an integer to a negative power, a
 * minimum of an empty array; the message says which op and what, e.g. {@code solve: matrix is
 * singular (pivot 0 at row 3)}.
 */
public class KernelException extends JetLagException {
  private static final long serialVersionUID = 1L;

  /** An error with a complete, user-facing message. */
  public KernelException(String message) {
    super(message);
  }
}
