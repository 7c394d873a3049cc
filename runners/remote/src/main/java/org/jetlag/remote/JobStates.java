package org.jetlag.remote;

import java.util.List;

/** The Tapis v3 job states in their order, and which of them are final. */
public final class JobStates {
  /** The states a job passes through on its way to FINISHED, in order. */
  public static final List<String> ORDER =
      List.of(
          "PENDING",
          "PROCESSING_INPUTS",
          "STAGING_INPUTS",
          "STAGING_JOB",
          "SUBMITTING_JOB",
          "QUEUED",
          "RUNNING",
          "ARCHIVING",
          "FINISHED");

  private JobStates() {}

  /** True for FINISHED, FAILED and CANCELLED. */
  public static boolean terminal(String status) {
    return "FINISHED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status);
  }
}
