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
        TapisJob.text(j, "event"),
        TapisJob.text(j, "created"),
        TapisJob.text(j, "eventDetail"),
        TapisJob.text(j, "description"));
  }
}
