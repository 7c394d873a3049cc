package org.jetlag.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jetlag.graph.JetLagException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job store of Flink session jobs, with stand-in drivers (a {@code sleep} process, or none):
 * the folder a submission makes, its states, a driver that dies without recording its end, cancel,
 * fetch. The real driver on a real Flink cluster is tested in runners/cli
 * (SessionJobsOnClusterTest).
 */
class SessionJobsTest {
  static final Path LR = Path.of("../../examples/linear-regression").toAbsolutePath().normalize();
  static final Target FLINK = new Target.FlinkSession("127.0.0.1", 8081);

  @TempDir Path root;
  private final List<ProcessHandle> started = new java.util.ArrayList<>();

  @AfterEach
  void killDrivers() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  private SessionJobs sleeping() {
    return SessionJobs.at(root.resolve("jobs"), dir -> List.of("sleep", "60"));
  }

  static Submission submission(Target t, String runner, Map<String, Path> inputs) {
    return new Submission(
        LR.resolve("graph.json"),
        inputs,
        RunSettings.defaults().withRunner(runner),
        t,
        "jetlag-zip",
        "1",
        Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.of(2),
        OptionalInt.of(5),
        "0.1.0-SNAPSHOT");
  }

  static Map<String, Path> lrInputs() {
    return Map.of("X", LR.resolve("X.npy"), "y", LR.resolve("y.npy"));
  }

  private ProcessHandle driverOf(SessionJobs jobs, String id) throws IOException {
    String json = Files.readString(jobs.folder(id).resolve("job.json"));
    long pid = Long.parseLong(json.replaceAll("(?s).*\"pid\" : (\\d+).*", "$1"));
    ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
    started.add(h);
    return h;
  }

  @Test
  void aSubmissionMakesTheJobFolderAndStartsItsDriver() throws IOException {
    SessionJobs jobs = sleeping();
    RemoteJob j = jobs.submit(submission(FLINK, "flink", lrInputs()));
    assertThat(j.status()).isEqualTo("PENDING");
    assertThat(j.execSystemId()).isEqualTo("flink://127.0.0.1:8081");
    assertThat(j.name()).startsWith("linear-regression-");
    assertThat(jobs.has(j.uuid())).isTrue();
    Path dir = jobs.folder(j.uuid());
    assertThat(dir.resolve("bundle/graph.json")).exists();
    assertThat(dir.resolve("bundle/inputs/X.arrow")).exists();
    assertThat(dir.resolve("bundle/inputs/y.arrow")).exists();
    // --minutes becomes the run's time limit; the runner is flink
    assertThat(Files.readAllLines(dir.resolve("bundle/run-args.txt")))
        .containsExactly("--runner", "flink", "--timeout", "300000ms");
    assertThat(Files.readString(dir.resolve("job.json")))
        .contains("\"master\" : \"127.0.0.1:8081\"")
        .contains("\"parallelism\" : 2");
    assertThat(driverOf(jobs, j.uuid()).isAlive()).isTrue();
    assertThat(jobs.jobs(10)).extracting(RemoteJob::uuid).containsExactly(j.uuid());
    assertThat(jobs.history(j.uuid())).extracting(JobEvent::eventDetail).containsExactly("PENDING");
    // no staging folder is left beside the jobs
    try (Stream<Path> s = Files.list(root.resolve("jobs"))) {
      assertThat(s).extracting(p -> p.getFileName().toString()).containsExactly(j.uuid());
    }
  }

  @Test
  @Timeout(30)
  void aDriverThatDiesWithoutRecordingItsEndMakesTheJobFailed() throws Exception {
    SessionJobs jobs = sleeping();
    RemoteJob j = jobs.submit(submission(FLINK, "flink", lrInputs()));
    ProcessHandle driver = driverOf(jobs, j.uuid());
    driver.destroyForcibly();
    driver.onExit().get();
    RemoteJob after = jobs.status(j.uuid());
    assertThat(after.status()).isEqualTo("FAILED");
    assertThat(after.condition()).isEqualTo("DRIVER_LOST");
    assertThat(after.lastMessage()).contains("pid " + driver.pid()).contains("jetlag.log");
  }

  @Test
  @Timeout(30)
  void cancelSignalsTheDriverAndRecordsTheRequest() throws Exception {
    SessionJobs jobs = sleeping();
    RemoteJob j = jobs.submit(submission(FLINK, "flink", lrInputs()));
    ProcessHandle driver = driverOf(jobs, j.uuid());
    jobs.cancel(j.uuid());
    driver.onExit().get();
    assertThat(jobs.folder(j.uuid()).resolve("cancel-requested")).exists();
    // the stand-in does not record CANCELLED as the real driver does: the job is lost
    assertThat(jobs.status(j.uuid()).terminal()).isTrue();
    assertThatThrownBy(() -> jobs.cancel(j.uuid()))
        .isInstanceOf(JetLagException.class)
        .hasMessageContaining("has already ended");
  }

  @Test
  void theDriverRecordsItsStatesAndOnlyTheFirstEndCounts() {
    SessionJobs jobs = sleeping();
    RemoteJob j = jobs.submit(submission(FLINK, "flink", lrInputs()));
    SessionJobs.Recorder rec = SessionJobs.Recorder.of(jobs.folder(j.uuid()));
    rec.running("Running on flink://127.0.0.1:8081");
    assertThat(jobs.status(j.uuid()).status()).isEqualTo("RUNNING");
    rec.ended("FINISHED", "NORMAL_COMPLETION", "done", List.of("a1", "b2"));
    rec.ended("FAILED", "JOB_EXECUTION_FAILED", "too late", List.of());
    RemoteJob end = jobs.job(j.uuid());
    assertThat(end.status()).isEqualTo("FINISHED");
    assertThat(end.condition()).isEqualTo("NORMAL_COMPLETION");
    assertThat(end.remoteJobId()).isEqualTo("a1,b2");
    assertThat(Instant.parse(end.ended())).isAfterOrEqualTo(Instant.parse(end.created()));
    assertThat(jobs.history(j.uuid()))
        .extracting(JobEvent::eventDetail)
        .containsExactly("PENDING", "RUNNING", "FINISHED");
  }

  @Test
  void fetchCopiesTheOutputsOfAnEndedJobIntoANewFolderOnly() throws IOException {
    SessionJobs jobs = sleeping();
    RemoteJob j = jobs.submit(submission(FLINK, "flink", lrInputs()));
    Path out = jobs.folder(j.uuid()).resolve("output");
    Files.writeString(out.resolve("trace.json"), "{}");
    Files.createDirectories(out.resolve("flink-logs"));
    Files.writeString(out.resolve("flink-logs/jm.log"), "log");
    assertThatThrownBy(() -> jobs.fetch(j.uuid(), root.resolve("early")))
        .hasMessageContaining("is PENDING")
        .hasMessageContaining("when it has ended");
    assertThat(root.resolve("early")).doesNotExist();
    SessionJobs.Recorder.of(jobs.folder(j.uuid()))
        .ended("FAILED", "JOB_EXECUTION_FAILED", "boom", List.of());
    Path busy = Files.createDirectories(root.resolve("busy"));
    Files.writeString(busy.resolve("keep.txt"), "mine");
    assertThatThrownBy(() -> jobs.fetch(j.uuid(), busy)).hasMessageContaining("not empty");
    assertThat(busy.resolve("keep.txt")).hasContent("mine");
    Path to = root.resolve("results/new");
    assertThat(jobs.fetch(j.uuid(), to))
        .containsExactly("flink-logs/jm.log", "jetlag.log", "trace.json");
    assertThat(to.resolve("trace.json")).hasContent("{}");
    try (Stream<Path> s = Files.list(root.resolve("results"))) {
      assertThat(s).extracting(p -> p.getFileName().toString()).containsExactly("new");
    }
    assertThat(jobs.log(j.uuid(), 5)).isPresent();
  }

  @Test
  void onlyFlinkTargetsWithTheFlinkRunnerAndUsableInputsAreTaken() throws IOException {
    SessionJobs jobs = sleeping();
    assertThatThrownBy(() -> jobs.submit(submission(new Target.Tapis("hpc"), "flink", lrInputs())))
        .hasMessageContaining("not a Flink session target: tapis:hpc");
    assertThatThrownBy(() -> jobs.submit(submission(FLINK, "local", lrInputs())))
        .hasMessageContaining("runs with the flink runner, not 'local'");
    assertThatThrownBy(
            () -> jobs.submit(submission(FLINK, "flink", Map.of("X", LR.resolve("X.npy")))))
        .hasMessageContaining("input 'y'");
    // nothing is left of refused submissions
    Path r = root.resolve("jobs");
    if (Files.isDirectory(r)) {
      try (Stream<Path> s = Files.list(r)) {
        assertThat(s).isEmpty();
      }
    }
    assertThat(jobs.jobs(10)).isEmpty();
    assertThat(jobs.has("../etc")).isFalse();
    assertThatThrownBy(() -> jobs.status("nope")).hasMessageContaining("no job 'nope'");
  }

  @Test
  void aDriverThatCannotStartFailsTheSubmissionAndTheJob() {
    SessionJobs jobs =
        SessionJobs.at(root.resolve("jobs"), dir -> List.of("/nonexistent/jetlag-driver"));
    assertThatThrownBy(() -> jobs.submit(submission(FLINK, "flink", lrInputs())))
        .hasMessageContaining("cannot start the driver");
    RemoteJob j = jobs.jobs(1).get(0);
    assertThat(j.status()).isEqualTo("FAILED");
    assertThat(j.condition()).isEqualTo("DRIVER_NOT_STARTED");
  }

  @Test
  void targetsParseAndBadOnesSayWhatWasExpected() {
    assertThat(Target.parse("tapis:hpc")).isEqualTo(new Target.Tapis("hpc"));
    assertThat(Target.parse("flink://node-1.example:8081"))
        .isEqualTo(new Target.FlinkSession("node-1.example", 8081));
    assertThat(Target.parse("flink://[::1]:8081").toString()).isEqualTo("flink://[::1]:8081");
    for (String bad : List.of("", "tapis:", "flink://h", "flink://h:0", "http://h:1", "h:8081")) {
      assertThatThrownBy(() -> Target.parse(bad))
          .as(bad)
          .hasMessageContaining("expected tapis:<systemId> or flink://host:port");
    }
  }
}
