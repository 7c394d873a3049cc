package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What JetLag shows of a remote job, on either target. Its fields are those of Tapis's {@code Job}
 * and {@code JobListDTO} schemas, and its states are Tapis's ({@link JobStates}); a job on a Flink
 * session cluster ({@link SessionJobs}) uses the same vocabulary. Absent fields are empty strings.
 *
 * @param uuid the job's id
 * @param name the job's name
 * @param status the state, such as {@code QUEUED}
 * @param condition why it ended, such as {@code NORMAL_COMPLETION}, or empty
 * @param lastMessage the last message about the job, or empty
 * @param remoteJobId the batch scheduler's job id (Tapis), the Flink job ids (session), or empty
 * @param created when it was submitted (ISO-8601)
 * @param ended when it ended, or empty
 * @param execSystemId where it runs: the execution system (Tapis) or {@code flink://host:port}
 * @param appId the app it runs
 */
public record RemoteJob(
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
  public static RemoteJob of(JsonNode j) {
    return new RemoteJob(
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
