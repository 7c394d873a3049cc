package org.jetlag.remote;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jetlag.graph.JetLagException;

/**
 * The jobs of one kind of {@link Target}: what {@code jetlag submit}, {@code jetlag jobs}, {@code
 * jetlag job …} and the editor's jobs panel do, whichever the target. {@link TapisJobs} sends
 * graphs to a Tapis system's batch queue; {@link SessionJobs} runs them on a Flink session cluster
 * from a driver process on this machine. Both speak in Tapis's job states ({@link JobStates}).
 */
public interface JobService {
  /**
   * Sends the graph and its inputs; returns the new job, normally PENDING. Nothing is left behind
   * when it fails.
   *
   * @throws JetLagException when the target refuses it, an input is unusable, or a call fails
   */
  RemoteJob submit(Submission s);

  /** The job's state (a cheap call, for polling). */
  RemoteJob status(String id);

  /** Everything known of the job. */
  RemoteJob job(String id);

  /** The job's events, oldest first. */
  List<JobEvent> history(String id);

  /** The user's jobs on this kind of target, newest first, at most {@code limit}. */
  List<RemoteJob> jobs(int limit);

  /** Asks the job to stop: queued jobs leave the queue, running ones are cancelled. */
  void cancel(String id);

  /**
   * Copies the ended job's outputs, {@code trace.json} and {@code jetlag.log} into {@code dir} (new
   * or empty), which {@code jetlag report} and the editor then open like a local run.
   *
   * @return the files written, relative to {@code dir}, sorted
   */
  List<String> fetch(String id, Path dir);

  /** The last {@code lines} lines of the job's log ({@code jetlag.log}), or empty. */
  Optional<String> log(String id, int lines);

  /**
   * True when {@code e} says only that the service could not be reached just now (a dropped
   * connection), so that polling may go on.
   */
  default boolean transientFailure(JetLagException e) {
    return false;
  }

  /** How {@link #follow} polls: first after {@code first}, then less often up to {@code max}. */
  record Polling(Duration first, Duration max, Duration deadline) {
    /** 1 s stepping up to 5 s (back to 1 s after each change of state), giving up after a day. */
    public static Polling defaults() {
      return new Polling(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofDays(1));
    }
  }

  /**
   * Polls the job's status until it is FINISHED, FAILED or CANCELLED, calling {@code onChange} with
   * each new state. A poll that fails {@link #transientFailure transiently} is reported to {@code
   * onTrouble} and polling resumes; other failures end the wait.
   *
   * @throws JetLagException when the deadline passes first, or the service answers with an error
   */
  default RemoteJob follow(
      String id,
      Polling polling,
      Clock clock,
      Consumer<RemoteJob> onChange,
      Consumer<String> onTrouble) {
    Instant end = clock.instant().plus(polling.deadline());
    Duration wait = polling.first();
    String last = "";
    while (true) {
      try {
        RemoteJob j = status(id);
        if (!j.status().equals(last)) {
          last = j.status();
          wait = polling.first();
          onChange.accept(j);
        }
        if (j.terminal()) {
          return j;
        }
      } catch (JetLagException e) {
        if (!transientFailure(e)) {
          throw e;
        }
        onTrouble.accept(e.getMessage());
      }
      if (clock.instant().isAfter(end)) {
        throw new JetLagException(
            "job " + id + ": still " + last + " after " + polling.deadline() + "; stopped waiting");
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JetLagException("job " + id + ": interrupted while waiting", e);
      }
      long next = Math.min(wait.toMillis() * 3 / 2, polling.max().toMillis());
      wait = Duration.ofMillis(Math.max(next, 1));
    }
  }
}
