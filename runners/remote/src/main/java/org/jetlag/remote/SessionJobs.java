package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jetlag.graph.JetLagException;

/**
 * Jobs on a Flink session cluster reached directly ({@code flink://host:port}). A graph that runs
 * on Flink may be several Flink jobs (a loop is driven job by job from the client), so a job here
 * is a <em>driver</em>: a process on this machine, detached from the terminal, that runs the graph
 * on the cluster as {@code jetlag run --runner flink --flink-master host:port} would, and records
 * its state. {@code jetlag submit} returns as soon as the driver has started; closing the terminal
 * or pressing Ctrl-C while following the job does not stop it, {@code jetlag job ID cancel} does.
 *
 * <p>Each job has a folder {@code <root>/<id>/} (root: {@code ~/.jetlag/jobs}):
 *
 * <ul>
 *   <li>{@code bundle/}: the job bundle, unpacked ({@link JobBundle}: the graph, its inputs as
 *       Arrow IPC, {@code run-args.txt}), so that later edits of the graph or inputs do not change
 *       the job;
 *   <li>{@code job.json}: id, name, target, when it was created, the driver's process;
 *   <li>{@code status.json}: the state and its history, written atomically by the submitter
 *       (PENDING) and then only by the driver (RUNNING and the end);
 *   <li>{@code output/}: the outputs ({@code <name>.arrow}), {@code trace.json}, Flink's job
 *       details and {@code jetlag.log} (the driver's output);
 *   <li>{@code work/}: the run folders the cluster's TaskManagers read and write, so the cluster
 *       must see this folder at the same path (the same machine or a shared file system).
 * </ul>
 *
 * A job whose driver has gone without writing its end (killed, the machine restarted) is reported
 * FAILED.
 */
public final class SessionJobs implements JobService {
  /** The app name session jobs report ({@link RemoteJob#appId()}). */
  public static final String APP_ID = "jetlag-session";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f-]{27}");

  private final Path root;
  private final Function<Path, List<String>> driver;
  private final Clock clock;

  private SessionJobs(Path root, Function<Path, List<String>> driver, Clock clock) {
    this.root = Objects.requireNonNull(root, "root");
    this.driver = Objects.requireNonNull(driver, "driver");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Jobs kept under {@code root}, whose drivers start with the command line {@code driver} gives
   * for a job folder (normally {@code jetlag job-driver <folder>}).
   */
  public static SessionJobs at(Path root, Function<Path, List<String>> driver) {
    return new SessionJobs(root, driver, Clock.systemUTC());
  }

  /**
   * Drivers started with the {@code jetlag} command of the installation at {@code jetlagHome}:
   * {@code <home>/bin/jetlag job-driver <folder>} ({@code bin/jetlag} passes its home to the JVM as
   * the system property {@code jetlag.home}).
   */
  public static Function<Path, List<String>> jetlagCommand(Path jetlagHome) {
    Path cmd = jetlagHome.resolve("bin").resolve("jetlag");
    return dir -> List.of(cmd.toString(), "job-driver", dir.toString());
  }

  /**
   * The default root: {@code jobs} in the JetLag settings folder ({@link TokenStore#configDir}).
   */
  public static Path defaultRoot() {
    return TokenStore.configDir().resolve("jobs");
  }

  /** The folder the jobs are kept in. */
  public Path root() {
    return root;
  }

  /** True when {@code id} names a job kept here. */
  public boolean has(String id) {
    return ID.matcher(id).matches() && Files.isRegularFile(root.resolve(id).resolve("job.json"));
  }

  @Override
  public RemoteJob submit(Submission s) {
    if (!(s.target() instanceof Target.FlinkSession flink)) {
      throw new JetLagException("not a Flink session target: " + s.target());
    }
    if (!"flink".equals(s.settings().runner())) {
      throw new JetLagException(
          "a job on " + flink + " runs with the flink runner, not '" + s.settings().runner() + "'");
    }
    RunSettings settings = s.settings();
    if (s.minutes().isPresent()) {
      settings =
          new RunSettings(
              settings.chunkBytes(),
              settings.memoryBytes(),
              Optional.of(Duration.ofMinutes(s.minutes().getAsInt())),
              settings.runner());
    }
    String id = UUID.randomUUID().toString();
    Path dir = root.resolve(id);
    try {
      Files.createDirectories(root);
      Path stage = Files.createTempDirectory(root, ".new-");
      try {
        Path zip = stage.resolve("bundle.zip");
        JobBundle b =
            JobBundle.create(
                s.graph(), s.inputs(), settings, s.runtimeVersion(), s.runtimeVersion(), zip);
        SafeArchives.unpack(zip, stage.resolve("bundle"));
        Files.delete(zip);
        Files.createDirectories(stage.resolve("output"));
        Files.createDirectories(stage.resolve("work"));
        String now = clock.instant().toString();
        ObjectNode job = JSON.createObjectNode();
        job.put("id", id);
        job.put("name", (b.graphName() + "-" + id.substring(0, 8)));
        job.put("target", flink.toString());
        job.put("master", flink.master());
        job.put("created", now);
        job.put("graph", s.graph().toAbsolutePath().normalize().toString());
        s.cores().ifPresent(c -> job.put("parallelism", c));
        job.put("runtimeVersion", s.runtimeVersion());
        writeAtomically(stage.resolve("job.json"), job);
        Status.pending(now).write(stage);
        move(stage, dir);
      } catch (RuntimeException | IOException e) {
        SafeArchives.deleteTree(stage);
        throw e;
      }
    } catch (IOException e) {
      throw new JetLagException("cannot make the job folder under '" + root + "': " + e, e);
    }
    start(id, dir);
    return status(id);
  }

  private void start(String id, Path dir) {
    List<String> driverCmd = driver.apply(dir);
    Path program = Path.of(driverCmd.get(0));
    if (program.isAbsolute() && !Files.isExecutable(program)) {
      failedToStart(id, dir, driverCmd, program + " is not an executable file");
    }
    List<String> cmd = new ArrayList<>();
    // A session of its own: Ctrl-C in the terminal that submitted (or follows) the job, and the
    // terminal closing, do not reach the driver.
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      cmd.add(setsid.toString());
    }
    cmd.addAll(driverCmd);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    dir.resolve("output").resolve("jetlag.log").toFile()));
    try {
      Process p = pb.start();
      ObjectNode job = (ObjectNode) read(dir.resolve("job.json"));
      job.put("pid", p.pid());
      p.info().startInstant().ifPresent(t -> job.put("pidStarted", t.toString()));
      writeAtomically(dir.resolve("job.json"), job);
    } catch (IOException e) {
      failedToStart(id, dir, cmd, e.toString());
    }
  }

  private void failedToStart(String id, Path dir, List<String> cmd, String why) {
    Status.read(dir)
        .end("FAILED", "DRIVER_NOT_STARTED", "cannot start the driver: " + why, clock)
        .write(dir);
    throw new JetLagException("job " + id + ": cannot start the driver " + cmd + ": " + why);
  }

  @Override
  public RemoteJob status(String id) {
    return job(id);
  }

  @Override
  public RemoteJob job(String id) {
    Path dir = folder(id);
    JsonNode job = read(dir.resolve("job.json"));
    Status st = Status.read(dir);
    if (!JobStates.terminal(st.status()) && !driverAlive(job)) {
      // Read again: the driver may have written its end just before it exited.
      st = Status.read(dir);
      if (!JobStates.terminal(st.status())) {
        st =
            st.end(
                "FAILED",
                "DRIVER_LOST",
                "the driver process (pid "
                    + job.path("pid").asText("?")
                    + ") ended without recording an end; see "
                    + dir.resolve("output").resolve("jetlag.log"),
                clock);
      }
    }
    return new RemoteJob(
        id,
        job.path("name").asText(""),
        st.status(),
        st.condition(),
        st.lastMessage(),
        st.flinkJobs(),
        job.path("created").asText(""),
        st.ended(),
        job.path("target").asText(""),
        APP_ID);
  }

  @Override
  public List<JobEvent> history(String id) {
    return Status.read(folder(id)).events();
  }

  @Override
  public List<RemoteJob> jobs(int limit) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      List<String> ids =
          s.map(p -> p.getFileName().toString()).filter(this::has).collect(Collectors.toList());
      List<RemoteJob> all = new ArrayList<>();
      for (String id : ids) {
        all.add(job(id));
      }
      all.sort(Comparator.comparing(RemoteJob::created).reversed());
      return all.subList(0, Math.min(limit, all.size()));
    } catch (IOException e) {
      throw new JetLagException("cannot list the jobs in '" + root + "': " + e, e);
    }
  }

  @Override
  public void cancel(String id) {
    Path dir = folder(id);
    RemoteJob j = job(id);
    if (j.terminal()) {
      throw new JetLagException("job " + id + " has already ended: " + j.status());
    }
    try {
      Files.writeString(dir.resolve("cancel-requested"), clock.instant().toString());
    } catch (IOException e) {
      throw new JetLagException("job " + id + ": cannot record the cancel request: " + e, e);
    }
    // SIGTERM: the driver cancels its Flink job through the cluster's REST API and records
    // CANCELLED (jetlag run's shutdown hook).
    driver(read(dir.resolve("job.json"))).ifPresent(ProcessHandle::destroy);
  }

  @Override
  public List<String> fetch(String id, Path to) {
    Path dir = folder(id);
    RemoteJob j = job(id);
    if (!j.terminal()) {
      throw new JetLagException(
          "job " + id + " is " + j.status() + "; fetch it when it has ended (jetlag job ID wait)");
    }
    Path target = to.toAbsolutePath().normalize();
    try {
      if (Files.isDirectory(target)) {
        try (Stream<Path> s = Files.list(target)) {
          if (s.findAny().isPresent()) {
            throw new JetLagException(
                "job " + id + ": the folder '" + to + "' is not empty; choose a new one");
          }
        }
      }
      Files.createDirectories(target.getParent());
      // Copy next to the target, then move it into place: never a half-written folder.
      Path stage = Files.createTempDirectory(target.getParent(), ".jetlag-fetch-");
      List<String> files = new ArrayList<>();
      try {
        Path out = dir.resolve("output");
        try (Stream<Path> s = Files.walk(out)) {
          for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
            Path rel = out.relativize(p);
            Files.createDirectories(stage.resolve(rel).getParent());
            Files.copy(p, stage.resolve(rel));
            files.add(rel.toString());
          }
        }
        Files.deleteIfExists(target);
        move(stage, target);
      } catch (IOException | RuntimeException e) {
        SafeArchives.deleteTree(stage);
        throw e;
      }
      files.sort(Comparator.naturalOrder());
      return files;
    } catch (IOException e) {
      throw new JetLagException("job " + id + ": cannot fetch into '" + to + "': " + e, e);
    }
  }

  @Override
  public Optional<String> log(String id, int lines) {
    return RemoteJobs.lastLines(folder(id).resolve("output").resolve("jetlag.log"), lines);
  }

  /** The job's folder. */
  public Path folder(String id) {
    if (!has(id)) {
      throw new JetLagException("no job '" + id + "' in " + root);
    }
    return root.resolve(id);
  }

  /**
   * What a driver records in its job's folder: that it runs, and how it ended. Only the driver
   * calls this, from its own process.
   */
  public static final class Recorder {
    private final Path dir;
    private final Clock clock;

    private Recorder(Path dir, Clock clock) {
      this.dir = dir;
      this.clock = clock;
    }

    /** The recorder of the job in {@code dir}. */
    public static Recorder of(Path dir) {
      if (!Files.isRegularFile(dir.resolve("job.json"))) {
        throw new JetLagException("'" + dir + "' is not a job folder (no job.json)");
      }
      return new Recorder(dir, Clock.systemUTC());
    }

    /** The job's settings ({@code job.json}). */
    public JsonNode job() {
      return read(dir.resolve("job.json"));
    }

    /** True when {@code jetlag job ID cancel} asked for the job to stop. */
    public boolean cancelRequested() {
      return Files.exists(dir.resolve("cancel-requested"));
    }

    /** Records that the driver runs the graph. */
    public void running(String message) {
      Status.read(dir).then("RUNNING", message, clock).write(dir);
    }

    /** Records the job's end: FINISHED, FAILED or CANCELLED, with the Flink job ids it ran. */
    public void ended(String status, String condition, String message, List<String> flinkJobs) {
      Status st = Status.read(dir);
      if (JobStates.terminal(st.status())) {
        return;
      }
      st.withFlinkJobs(String.join(",", flinkJobs))
          .end(status, condition, message, clock)
          .write(dir);
    }
  }

  // ------------------------------------------------------------------------------------------

  private Optional<ProcessHandle> driver(JsonNode job) {
    if (!job.has("pid")) {
      return Optional.empty();
    }
    Optional<ProcessHandle> h = ProcessHandle.of(job.path("pid").asLong());
    String started = job.path("pidStarted").asText("");
    // The same process, not a later one that was given the same number.
    return h.filter(
        p ->
            started.isEmpty()
                || p.info().startInstant().map(t -> t.toString().equals(started)).orElse(true));
  }

  private boolean driverAlive(JsonNode job) {
    if (!job.has("pid")) {
      // Between the folder's creation and the driver's start (a moment), or a failed start.
      return Duration.between(Instant.parse(job.path("created").asText()), clock.instant())
              .compareTo(Duration.ofMinutes(1))
          < 0;
    }
    return driver(job).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The state file: the state, its history and how it ended. */
  private record Status(
      String status,
      String condition,
      String lastMessage,
      String ended,
      String flinkJobs,
      List<JobEvent> events) {

    static Status pending(String at) {
      return new Status(
          "PENDING",
          "",
          "Job created",
          "",
          "",
          List.of(new JobEvent("JOB_NEW_STATUS", at, "PENDING", "The job was created.")));
    }

    Status then(String next, String message, Clock clock) {
      List<JobEvent> ev = new ArrayList<>(events);
      ev.add(new JobEvent("JOB_NEW_STATUS", clock.instant().toString(), next, message));
      return new Status(next, condition, message, ended, flinkJobs, ev);
    }

    Status end(String next, String cond, String message, Clock clock) {
      Status s = then(next, message, clock);
      return new Status(
          next, cond, message, s.events.get(s.events.size() - 1).created(), flinkJobs, s.events);
    }

    Status withFlinkJobs(String ids) {
      return new Status(status, condition, lastMessage, ended, ids, events);
    }

    static Status read(Path dir) {
      JsonNode j = SessionJobs.read(dir.resolve("status.json"));
      List<JobEvent> ev = new ArrayList<>();
      for (JsonNode e : j.path("events")) {
        ev.add(JobEvent.of(e));
      }
      return new Status(
          j.path("status").asText("PENDING"),
          j.path("condition").asText(""),
          j.path("lastMessage").asText(""),
          j.path("ended").asText(""),
          j.path("flinkJobs").asText(""),
          ev);
    }

    void write(Path dir) {
      ObjectNode o = JSON.createObjectNode();
      o.put("status", status);
      o.put("condition", condition);
      o.put("lastMessage", lastMessage);
      o.put("ended", ended);
      o.put("flinkJobs", flinkJobs);
      ArrayNode a = o.putArray("events");
      for (JobEvent e : events) {
        a.addObject()
            .put("event", e.event())
            .put("created", e.created())
            .put("eventDetail", e.eventDetail())
            .put("description", e.description());
      }
      writeAtomically(dir.resolve("status.json"), o);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new JetLagException("cannot read '" + file + "': " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path file, JsonNode value) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      try {
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value);
        move(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new JetLagException("cannot write '" + file + "': " + e, e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
