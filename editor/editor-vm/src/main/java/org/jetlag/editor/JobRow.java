package org.jetlag.editor;

import java.util.Objects;
import org.jetlag.remote.RemoteJob;

/**
 * One line of the jobs panel: a job and the kind of source it came from.
 *
 * @param source {@code tapis} or {@code flink} ({@link JobSource#kind()})
 * @param job the job as its service last reported it
 */
public record JobRow(String source, RemoteJob job) {
  /** Validates. */
  public JobRow {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(job, "job");
  }

  /** {@code source:id}: what identifies the row across refreshes. */
  public String key() {
    return source + ":" + job.uuid();
  }

  /** The job's id. */
  public String id() {
    return job.uuid();
  }

  /** Where it runs: {@code tapis:<system>} or {@code flink://host:port}. */
  public String target() {
    String where = job.execSystemId();
    return "tapis".equals(source) && !where.isEmpty() ? "tapis:" + where : where;
  }

  /** The state, such as {@code QUEUED}. */
  public String state() {
    return job.status();
  }

  /** True when FINISHED, FAILED or CANCELLED. */
  public boolean terminal() {
    return job.terminal();
  }
}
