package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a job's history (the {@code JobHistoryDisplayDTO} schema).
 *
 * @param event the event kind, such as {@code JOB_NEW_STATUS}
 * @param created when it happened
 * @param eventDetail the detail, such as the new state
 * @param description Tapis's sentence about it
 */
public record JobEvent(String event, String created, String eventDetail, String description) {
  /** The event from a {@code JobHistoryDisplayDTO} object. */
  public static JobEvent of(JsonNode j) {
    return new JobEvent(
        RemoteJob.text(j, "event"),
        RemoteJob.text(j, "created"),
        RemoteJob.text(j, "eventDetail"),
        RemoteJob.text(j, "description"));
  }
}
