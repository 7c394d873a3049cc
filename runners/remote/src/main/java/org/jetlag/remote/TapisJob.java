package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What JetLag shows of a Tapis job (the {@code Job} and {@code JobListDTO} schemas); absent fields
 * are empty strings.
 *
 * @param uuid the job's id
 * @param name the job's name
 * @param status the Tapis state, such as {@code QUEUED}
 * @param condition why it ended, such as {@code NORMAL_COMPLETION}, or empty
 * @param lastMessage Tapis's last message about the job, or empty
 * @param remoteJobId the batch scheduler's job id, or empty
 * @param created when it was submitted
 * @param ended when it ended, or empty
 * @param execSystemId the execution system
 * @param appId the app it runs
 */
public record TapisJob(
    String uuid,
    String name,
    String status,
    String condition,
    String lastMessage,
    String remoteJobId,
    String created,
    String ended,
    String execSystemId,
    String appId) {

  /** The job from a Tapis {@code Job} or {@code JobListDTO} object. */
  public static TapisJob of(JsonNode j) {
    return new TapisJob(
        text(j, "uuid"),
        text(j, "name"),
        text(j, "status"),
        text(j, "condition"),
        text(j, "lastMessage"),
        text(j, "remoteJobId"),
        text(j, "created"),
        text(j, "ended"),
        text(j, "execSystemId"),
        text(j, "appId"));
  }

  /** True when the state is FINISHED, FAILED or CANCELLED. */
  public boolean terminal() {
    return JobStates.terminal(status);
  }

  static String text(JsonNode j, String field) {
    JsonNode v = j.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
