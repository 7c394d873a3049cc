package org.jetlag.remote;

import org.jetlag.graph.JetLagException;

/**
 * A Tapis call that failed: an error answer (HTTP status 400 or more, or an envelope whose status
 * is not {@code success}), a connection that could not be made after the retries, or a token that
 * expired. The message is one complete line naming the call, such as {@code GET
 * /v3/jobs/abc/status: HTTP 404: JOBS_JOB_NOT_FOUND ...}.
 */
public final class TapisException extends JetLagException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final boolean needsLogin;

  /** A failure with HTTP status {@code httpStatus} (0 when no answer came). */
  public TapisException(String message, int httpStatus, boolean needsLogin, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.needsLogin = needsLogin;
  }

  /** A failure with HTTP status {@code httpStatus} (0 when no answer came). */
  public TapisException(String message, int httpStatus) {
    this(message, httpStatus, httpStatus == 401, null);
  }

  /** The HTTP status of the answer, or 0 when there was none (connection failure, expiry). */
  public int httpStatus() {
    return httpStatus;
  }

  /** True when the user must log in again (token expired or rejected). */
  public boolean needsLogin() {
    return needsLogin;
  }
}
