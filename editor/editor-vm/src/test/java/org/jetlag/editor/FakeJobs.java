package org.jetlag.editor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.JobEvent;
import org.jetlag.remote.JobService;
import org.jetlag.remote.RemoteJob;
import org.jetlag.remote.Submission;

/**
 * An in-memory {@link JobService} for view-model tests: the test moves jobs from state to state,
 * makes calls hang, and gives the files a fetch copies. The real services ({@code TapisJobs},
 * {@code SessionJobs}) are tested in runners/remote and runners/remote-it, and the editor against a
 * real Flink session cluster in {@code RemoteFlinkSessionTest}; this fake tests only what the view
 * model does with a service's answers.
 */
final class FakeJobs implements JobService {
  final List<Submission> submitted = new ArrayList<>();
  final List<String> cancelled = new ArrayList<>();
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger fetches = new AtomicInteger();
  private final Map<String, RemoteJob> jobs = new LinkedHashMap<>();
  private final String target;
  private volatile CountDownLatch hang = new CountDownLatch(0);
  private Optional<Path> outputs = Optional.empty();
  private Optional<String> log = Optional.empty();
  private int next;

  FakeJobs(String target) {
    this.target = target;
  }

  /** From now on every call blocks, ignoring interrupts, until {@link #answer()}. */
  void hang() {
    hang = new CountDownLatch(1);
  }

  /** Lets the blocked calls return. */
  void answer() {
    hang.countDown();
  }

  synchronized void outputs(Path dir) {
    outputs = Optional.of(dir);
  }

  synchronized void log(String text) {
    log = Optional.of(text);
  }

  synchronized void set(String id, String status, String condition, String message) {
    RemoteJob j = jobs.get(id);
    jobs.put(
        id,
        new RemoteJob(
            id,
            j.name(),
            status,
            condition,
            message,
            "",
            j.created(),
            "",
            j.execSystemId(),
            j.appId()));
  }

  /** Adds a job directly (one not submitted from the editor). */
  synchronized String add(String status) {
    String id = String.format("00000000-0000-0000-0000-%012d", ++next);
    jobs.put(
        id,
        new RemoteJob(
            id,
            "job-" + next,
            status,
            "",
            "",
            "",
            String.format("2026-11-26T01:00:%02dZ", next),
            "",
            target,
            "fake"));
    return id;
  }

  private void enter() {
    calls.incrementAndGet();
    boolean interrupted = false;
    while (true) {
      try {
        hang.await();
        break;
      } catch (InterruptedException e) {
        // a hung service does not answer interrupts either
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public RemoteJob submit(Submission s) {
    enter();
    synchronized (this) {
      submitted.add(s);
      return jobs.get(add("PENDING"));
    }
  }

  @Override
  public RemoteJob status(String id) {
    return job(id);
  }

  @Override
  public RemoteJob job(String id) {
    enter();
    synchronized (this) {
      RemoteJob j = jobs.get(id);
      if (j == null) {
        throw new JetLagException("no job '" + id + "'");
      }
      return j;
    }
  }

  @Override
  public List<JobEvent> history(String id) {
    return List.of();
  }

  @Override
  public List<RemoteJob> jobs(int limit) {
    enter();
    synchronized (this) {
      List<RemoteJob> all = new ArrayList<>(jobs.values());
      java.util.Collections.reverse(all);
      return all.subList(0, Math.min(limit, all.size()));
    }
  }

  @Override
  public void cancel(String id) {
    enter();
    synchronized (this) {
      cancelled.add(id);
      set(id, "CANCELLED", "CANCELLED_BY_USER", "cancelled");
    }
  }

  @Override
  public List<String> fetch(String id, Path dir) {
    enter();
    fetches.incrementAndGet();
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new JetLagException("job " + id + ": the folder '" + dir + "' is not empty");
          }
        }
      }
      Files.createDirectories(dir);
      List<String> files = new ArrayList<>();
      Optional<Path> from;
      synchronized (this) {
        from = outputs;
      }
      if (from.isPresent()) {
        try (Stream<Path> s = Files.list(from.get())) {
          for (Path p : s.sorted().toList()) {
            Files.copy(p, dir.resolve(p.getFileName()));
            files.add(p.getFileName().toString());
          }
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized Optional<String> log(String id, int lines) {
    return log;
  }
}
