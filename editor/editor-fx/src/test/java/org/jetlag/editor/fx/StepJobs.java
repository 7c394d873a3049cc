package org.jetlag.editor.fx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.JobEvent;
import org.jetlag.remote.JobService;
import org.jetlag.remote.RemoteJob;
import org.jetlag.remote.Submission;

/**
 * A job service whose one job changes state when the test says so, and whose fetch copies a
 * prepared folder (a local run's outputs and trace). The real services are tested in
 * runners/remote(-it) and from the view model on a real Flink session cluster; this one lets the UI
 * test watch the panel follow the states.
 */
final class StepJobs implements JobService {
  static final String ID = "6f1c2a9e-0000-4000-8000-000000000001";

  private final Path outputs;
  private final List<Submission> submitted = new ArrayList<>();
  private Optional<RemoteJob> job = Optional.empty();

  StepJobs(Path outputs) {
    this.outputs = outputs;
  }

  synchronized List<Submission> submitted() {
    return List.copyOf(submitted);
  }

  synchronized void set(String status) {
    RemoteJob j = job.orElseThrow();
    job =
        Optional.of(
            new RemoteJob(
                j.uuid(),
                j.name(),
                status,
                status.equals("FINISHED") ? "NORMAL_COMPLETION" : "",
                "now " + status,
                "",
                j.created(),
                "",
                j.execSystemId(),
                j.appId()));
  }

  @Override
  public synchronized RemoteJob submit(Submission s) {
    submitted.add(s);
    job =
        Optional.of(
            new RemoteJob(
                ID,
                "linear-regression-6f1c2a9e",
                "PENDING",
                "",
                "Job created",
                "",
                "2026-11-26T01:00:00Z",
                "",
                s.target().toString(),
                "jetlag-session"));
    return job.get();
  }

  @Override
  public RemoteJob status(String id) {
    return job(id);
  }

  @Override
  public synchronized RemoteJob job(String id) {
    return job.filter(j -> j.uuid().equals(id))
        .orElseThrow(() -> new JetLagException("no job '" + id + "'"));
  }

  @Override
  public List<JobEvent> history(String id) {
    return List.of();
  }

  @Override
  public synchronized List<RemoteJob> jobs(int limit) {
    return job.stream().toList();
  }

  @Override
  public void cancel(String id) {
    set("CANCELLED");
  }

  @Override
  public List<String> fetch(String id, Path dir) {
    try {
      Files.createDirectories(dir);
      List<String> files = new ArrayList<>();
      try (Stream<Path> s = Files.list(outputs)) {
        for (Path p : s.sorted().toList()) {
          Files.copy(p, dir.resolve(p.getFileName()));
          files.add(p.getFileName().toString());
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<String> log(String id, int lines) {
    return Optional.empty();
  }
}
