package org.jetlag.editor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jetlag.editor.internal.FetchedOutputs;
import org.jetlag.editor.internal.SubmitMemory;
import org.jetlag.editor.internal.TimedCalls;
import org.jetlag.graph.Graph;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Validation;
import org.jetlag.remote.JobService;
import org.jetlag.remote.RemoteJob;
import org.jetlag.remote.Submission;
import org.jetlag.remote.Target;

/**
 * The editor's remote jobs: submit the open graph to a Tapis system or a Flink session cluster, the
 * jobs panel (one row per job of every {@link JobSource}, its state kept live by polling), cancel,
 * and fetch a job's outputs and trace into a folder and open them onto the graph as "Open Trace"
 * does.
 *
 * <p>Called on the UI thread, and changes its properties on the UI thread only. Every call to a
 * {@link JobService} runs on the injected workers with a deadline ({@link Timing}); a service that
 * does not answer in time is reported in the status line (polling) or in an error dialog (the
 * user's own actions), never waited for on the UI thread. A source whose last call has not returned
 * is not called again until it does, so a hung service holds one worker, not one per poll.
 */
public final class JobsViewModel {
  /**
   * How long calls may take and how often the list is polled.
   *
   * @param call the deadline of a quick call (list, status, cancel, log)
   * @param transfer the deadline of a submit or a fetch (they move files)
   * @param poll the pause between refreshes while a job has not ended
   */
  public record Timing(Duration call, Duration transfer, Duration poll) {
    /** Checks that each is positive. */
    public Timing {
      for (Duration d : List.of(call, transfer, poll)) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("expected a positive duration, got " + d);
        }
      }
    }

    /** 20 s per call, 10 minutes per submit or fetch, a refresh every 2 s. */
    public static Timing defaults() {
      return new Timing(Duration.ofSeconds(20), Duration.ofMinutes(10), Duration.ofSeconds(2));
    }
  }

  /**
   * What the jobs view model needs from outside.
   *
   * @param dialogs asks the user things and shows errors (the editor's dialogs)
   * @param ui runs work on the UI thread
   * @param workers runs the calls to the services (never the UI thread; a hung call holds one)
   * @param timer keeps the deadlines and the polling interval
   * @param sources where jobs are submitted and listed, at most one per kind
   * @param timing deadlines and the polling interval
   * @param runtimeVersion the JetLag version a job's bundle asks for (this editor's)
   * @param stateDir where the last Submit form is remembered
   */
  public record Services(
      DialogService dialogs,
      UiScheduler ui,
      Executor workers,
      ScheduledExecutorService timer,
      List<JobSource> sources,
      Timing timing,
      String runtimeVersion,
      Path stateDir) {
    /** Validates and copies. */
    public Services {
      Objects.requireNonNull(dialogs, "dialogs");
      Objects.requireNonNull(ui, "ui");
      Objects.requireNonNull(workers, "workers");
      Objects.requireNonNull(timer, "timer");
      sources = List.copyOf(sources);
      Set<String> kinds = new HashSet<>();
      for (JobSource s : sources) {
        if (!kinds.add(s.kind())) {
          throw new IllegalArgumentException("two job sources of kind '" + s.kind() + "'");
        }
      }
      Objects.requireNonNull(timing, "timing");
      Objects.requireNonNull(runtimeVersion, "runtimeVersion");
      Objects.requireNonNull(stateDir, "stateDir");
    }
  }

  /** The most jobs listed per source. */
  public static final int LIST_LIMIT = 50;

  /** The lines of a failed job's log shown. */
  public static final int LOG_LINES = 30;

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final EditorViewModel editor;
  private final Services services;
  private final TimedCalls calls;
  private final SubmitMemory memory;
  private final ObservableList<JobRow> rows = FXCollections.observableArrayList();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<JobRow> rowsView = FXCollections.unmodifiableObservableList(rows);
  private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
  private final ReadOnlyStringWrapper details = new ReadOnlyStringWrapper(this, "details", "");
  private final ReadOnlyObjectWrapper<Optional<JobRow>> selected =
      new ReadOnlyObjectWrapper<>(this, "selected", Optional.empty());
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
  private final BooleanProperty panelShown = new SimpleBooleanProperty(this, "panelShown");
  private final Map<String, JobService> resolved = new ConcurrentHashMap<>();
  private final Map<String, TimedCalls.Call<List<RemoteJob>>> listing = new HashMap<>();
  private final Map<String, String> problems = new LinkedHashMap<>();
  private final Set<String> watched = new HashSet<>();
  private final Map<String, String> seen = new HashMap<>();
  private final Map<String, Path> fetchedInto = new HashMap<>();
  private SubmitForm lastForm;
  private CompletableFuture<Void> lastRefresh = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> lastAction = CompletableFuture.completedFuture(null);
  private Optional<ScheduledFuture<?>> nextPoll = Optional.empty();
  private boolean closed;

  /** The jobs of the graphs {@code editor} shows. */
  public JobsViewModel(EditorViewModel editor, Services services) {
    this.editor = Objects.requireNonNull(editor, "editor");
    this.services = Objects.requireNonNull(services, "services");
    this.calls = new TimedCalls(services.workers(), services.timer());
    this.memory = new SubmitMemory(services.stateDir());
    this.lastForm = memory.read().orElse(SubmitForm.empty());
    panelShown.addListener(
        (o, was, now) -> {
          if (now) {
            startRefresh();
          }
        });
  }

  // ------------------------------------------------------------------ properties

  /** The jobs of every source, newest first. */
  public ObservableList<JobRow> rows() {
    return rowsView;
  }

  /** The panel's status line: how many jobs, when refreshed, and what went wrong (timeouts). */
  public ReadOnlyStringProperty statusProperty() {
    return status.getReadOnlyProperty();
  }

  /** The selected job in words; for a failed job, with the last lines of its log. */
  public ReadOnlyStringProperty detailsProperty() {
    return details.getReadOnlyProperty();
  }

  /** The selected job. */
  public ReadOnlyObjectProperty<Optional<JobRow>> selectedProperty() {
    return selected.getReadOnlyProperty();
  }

  /** True while a submit, cancel or fetch of the user's is under way. */
  public ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }

  /** Whether the jobs panel is shown; while it is, the list is kept live. */
  public BooleanProperty panelShownProperty() {
    return panelShown;
  }

  /** The Submit form the next submit starts from (the last one used). */
  public SubmitForm lastForm() {
    return lastForm;
  }

  /** Completes when the refresh under way (or the last one) has been shown. */
  public CompletableFuture<Void> lastRefresh() {
    return lastRefresh;
  }

  /** Completes when the user's last submit, cancel or fetch has been shown (for tests). */
  public CompletableFuture<Void> lastAction() {
    return lastAction;
  }

  // ------------------------------------------------------------------ the list

  /**
   * Asks every source for its jobs, unless a refresh is under way; {@link #lastRefresh()} completes
   * when the answers are shown.
   */
  public void refresh() {
    startRefresh();
  }

  /** Selects a row (by the table), or nothing; the details follow. */
  public void select(Optional<JobRow> row) {
    selected.set(row);
    details.set(row.map(JobsViewModel::describe).orElse(""));
    if (row.isPresent() && "FAILED".equals(row.get().state())) {
      JobRow r = row.get();
      withLog(
          r,
          log ->
              selected
                  .get()
                  .filter(s -> s.key().equals(r.key()))
                  .ifPresent(s -> details.set(describe(s) + log)));
    }
  }

  /** Stops polling (when the window closes). Calls under way end on their own deadlines. */
  public void close() {
    closed = true;
    nextPoll.ifPresent(f -> f.cancel(false));
    nextPoll = Optional.empty();
  }

  private record Listing(String kind, Optional<List<RemoteJob>> jobs, Optional<String> problem) {}

  private void startRefresh() {
    if (closed || !lastRefresh.isDone()) {
      return;
    }
    nextPoll.ifPresent(f -> f.cancel(false));
    nextPoll = Optional.empty();
    List<CompletableFuture<Listing>> parts = new ArrayList<>();
    for (JobSource src : services.sources()) {
      TimedCalls.Call<List<RemoteJob>> before = listing.get(src.kind());
      if (before != null && !before.done()) {
        parts.add(
            CompletableFuture.completedFuture(
                new Listing(
                    src.kind(),
                    Optional.empty(),
                    Optional.of(
                        src.kind()
                            + ": the previous call has still not returned; not asking again until"
                            + " it does"))));
        continue;
      }
      TimedCalls.Call<List<RemoteJob>> c =
          calls.start(
              src.kind() + ": list jobs",
              services.timing().call(),
              () -> service(src).jobs(LIST_LIMIT));
      listing.put(src.kind(), c);
      parts.add(
          c.result()
              .handle(
                  (jobs, err) ->
                      err == null
                          ? new Listing(src.kind(), Optional.of(jobs), Optional.empty())
                          : new Listing(
                              src.kind(), Optional.empty(), Optional.of(messageOf(err)))));
    }
    lastRefresh =
        CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
            .thenCompose(
                v ->
                    onUi(
                        () -> {
                          List<Listing> ls = new ArrayList<>();
                          parts.forEach(p -> ls.add(p.join()));
                          show(ls);
                        }));
  }

  private void show(List<Listing> listings) {
    Map<String, List<JobRow>> byKind = new LinkedHashMap<>();
    for (JobRow r : rows) {
      byKind.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r);
    }
    for (Listing l : listings) {
      if (l.jobs().isPresent()) {
        byKind.put(l.kind(), l.jobs().get().stream().map(j -> new JobRow(l.kind(), j)).toList());
        problems.remove(l.kind());
      } else {
        // keep the rows last seen, and say why they may be stale
        problems.put(l.kind(), l.problem().orElse(l.kind() + ": no answer"));
      }
    }
    List<JobRow> all = new ArrayList<>();
    byKind.values().forEach(all::addAll);
    all.sort(
        Comparator.comparing((JobRow r) -> r.job().created())
            .reversed()
            .thenComparing(JobRow::key));
    setRows(all);
    StringBuilder line =
        new StringBuilder()
            .append(all.size())
            .append(all.size() == 1 ? " job" : " jobs")
            .append(" · updated ")
            .append(LocalTime.now(ZoneId.systemDefault()).format(CLOCK));
    problems.values().forEach(p -> line.append(" · ").append(p));
    status.set(line.toString());
    pollIfNeeded();
  }

  private void setRows(List<JobRow> all) {
    if (!all.equals(rows)) {
      rows.setAll(all);
    }
    for (JobRow r : all) {
      String before = seen.put(r.key(), r.state());
      if (!r.state().equals(before) && watched.contains(r.key()) && r.terminal()) {
        ended(r);
      }
    }
    Optional<JobRow> sel = selected.get();
    if (sel.isPresent()) {
      Optional<JobRow> now = all.stream().filter(r -> r.key().equals(sel.get().key())).findFirst();
      if (now.isPresent() && !now.get().equals(sel.get())) {
        select(now);
      }
    }
  }

  /** A job submitted from this editor has ended: say so, and show a failure with its log. */
  private void ended(JobRow r) {
    watched.remove(r.key());
    if ("FAILED".equals(r.state())) {
      editor.say("job " + r.id() + " FAILED");
      withLog(
          r, log -> services.dialogs().showError("Job " + r.id() + " failed", describe(r) + log));
    } else if ("FINISHED".equals(r.state())) {
      editor.say("job " + r.id() + " FINISHED: Remote ▸ Fetch & Open shows its trace on the graph");
    } else {
      editor.say("job " + r.id() + " " + r.state());
    }
  }

  private void pollIfNeeded() {
    boolean running = rows.stream().anyMatch(r -> !r.terminal());
    boolean mine = rows.stream().anyMatch(r -> !r.terminal() && watched.contains(r.key()));
    if (closed || !running || !(panelShown.get() || mine)) {
      return;
    }
    nextPoll =
        Optional.of(
            services
                .timer()
                .schedule(
                    () -> services.ui().execute(this::startRefresh),
                    services.timing().poll().toMillis(),
                    TimeUnit.MILLISECONDS));
  }

  // ------------------------------------------------------------------ submit

  /**
   * Sends the open graph as a remote job: it must be saved to a file (the user is asked to save it)
   * and valid; its inputs are found as a run finds them ({@code <name>.npy}, {@code .arrow} or
   * {@code .csv} beside the graph, else asked for); where and with what resources comes from the
   * Submit dialog, which starts from the last form used.
   */
  public void submit() {
    if (busy.get()) {
      editor.say("wait for the remote call under way to end");
      return;
    }
    if (editor.fileProperty().get().isEmpty() || editor.dirtyProperty().get()) {
      if (!services
          .dialogs()
          .confirm(
              "Save before submitting",
              "A remote job takes the graph from its file. Save "
                  + editor.document().root().name()
                  + " first?")) {
        editor.say("submit cancelled: the graph is not saved");
        return;
      }
      if (!editor.save()) {
        editor.say("submit cancelled: the graph is not saved");
        return;
      }
    }
    Graph g = editor.document().root();
    Validation.Result v = Validation.validate(g);
    if (!v.ok()) {
      services
          .dialogs()
          .showError(
              "Cannot submit",
              "The graph has "
                  + v.errors().size()
                  + " problem(s); the first: "
                  + v.errors().get(0)
                  + "\nSee the Problems panel.");
      return;
    }
    Path file = editor.fileProperty().get().orElseThrow().toAbsolutePath().normalize();
    Optional<SubmitForm> asked = services.dialogs().askSubmit(lastForm);
    if (asked.isEmpty()) {
      editor.say("submit cancelled");
      return;
    }
    SubmitForm form = asked.get();
    lastForm = form;
    services.workers().execute(() -> remember(form));
    Optional<Map<String, Path>> inputs = editor.inputFiles(g, file.getParent(), "submit");
    if (inputs.isEmpty()) {
      return;
    }
    Submission s;
    try {
      s = form.submission(file, inputs.get(), services.runtimeVersion());
    } catch (JetLagException e) {
      services.dialogs().showError("Cannot submit", e.getMessage());
      return;
    }
    Target target = s.target();
    Optional<JobSource> src =
        services.sources().stream()
            .filter(x -> x.kind().equals(JobSource.kindOf(target)))
            .findFirst();
    if (src.isEmpty()) {
      services
          .dialogs()
          .showError("Cannot submit", "this editor has no job service for " + target + " targets");
      return;
    }
    busy.set(true);
    editor.say("submitting " + file.getFileName() + " to " + target + "…");
    TimedCalls.Call<RemoteJob> c =
        calls.start(
            target + ": submit", services.timing().transfer(), () -> service(src.get()).submit(s));
    whenDone(
        c,
        err -> {
          busy.set(false);
          services
              .dialogs()
              .showError(
                  "Cannot submit to " + target,
                  messageOf(err)
                      + (isTimeout(err)
                          ? "\nThe job may have been created all the same: refresh the jobs list."
                          : ""));
          editor.say("submit failed");
        },
        job -> {
          busy.set(false);
          JobRow row = new JobRow(src.get().kind(), job);
          watched.add(row.key());
          List<JobRow> all = new ArrayList<>(rows);
          all.removeIf(r -> r.key().equals(row.key()));
          all.add(0, row);
          setRows(all);
          select(Optional.of(row));
          editor.say("submitted job " + job.uuid() + " to " + target);
          startRefresh();
        });
  }

  private void remember(SubmitForm form) {
    try {
      memory.write(form);
    } catch (IOException e) {
      services.ui().execute(() -> editor.say("cannot remember the Submit form: " + e));
    }
  }

  // ------------------------------------------------------------------ cancel

  /** Cancels the selected job, after asking. */
  public void cancelSelected() {
    selectedOrSay("cancel").ifPresent(this::cancel);
  }

  /** Asks the job to stop (queued jobs leave the queue, running ones are cancelled). */
  public void cancel(JobRow row) {
    if (row.terminal()) {
      services
          .dialogs()
          .showError(
              "Cannot cancel job " + row.id(),
              "job " + row.id() + " has already ended: " + row.state());
      return;
    }
    if (!services
        .dialogs()
        .confirm("Cancel job", "Cancel job " + row.id() + " (" + row.state() + ")?")) {
      return;
    }
    Optional<JobSource> src = source(row);
    if (src.isEmpty()) {
      return;
    }
    TimedCalls.Call<Boolean> c =
        calls.start(
            row.source() + ": cancel job " + row.id(),
            services.timing().call(),
            () -> {
              service(src.get()).cancel(row.id());
              return true;
            });
    whenDone(
        c,
        err -> services.dialogs().showError("Cannot cancel job " + row.id(), messageOf(err)),
        ok -> {
          editor.say("cancel requested for job " + row.id());
          startRefresh();
        });
  }

  // ------------------------------------------------------------------ fetch and open

  /**
   * The folder a job is fetched into: {@code results/<job id>} beside the open graph's file (in the
   * editor's state folder while the graph is untitled), or where this editor fetched it before.
   */
  public Path resultsDir(String jobId) {
    Path before = fetchedInto.get(jobId);
    if (before != null) {
      return before;
    }
    Path base =
        editor
            .fileProperty()
            .get()
            .map(p -> p.toAbsolutePath().normalize().getParent())
            .orElse(services.stateDir());
    return base.resolve("results").resolve(jobId);
  }

  /** Fetches the selected job and opens its trace. */
  public void fetchAndOpenSelected() {
    selectedOrSay("fetch").ifPresent(this::fetchAndOpen);
  }

  /**
   * Copies an ended job's outputs, trace and log into {@link #resultsDir} (which must be new or
   * empty) and opens the trace onto the graph as Open Trace does, with previews of the outputs. A
   * folder that already holds this job's trace is opened again instead (after asking). A failed
   * job's error shows the last lines of its log.
   */
  public void fetchAndOpen(JobRow row) {
    String title = "Cannot fetch job " + row.id();
    if (!row.terminal()) {
      services
          .dialogs()
          .showError(
              title, "job " + row.id() + " is " + row.state() + "; fetch it when it has ended");
      return;
    }
    if (busy.get()) {
      editor.say("wait for the remote call under way to end");
      return;
    }
    Path dir = resultsDir(row.id());
    boolean again = Files.isRegularFile(dir.resolve("trace.json"));
    if (again) {
      if (!services
          .dialogs()
          .confirm(
              "Already fetched",
              "Job " + row.id() + " was fetched into " + dir + " before. Open that trace again?")) {
        return;
      }
    } else if (!emptyOrAbsent(dir)) {
      services
          .dialogs()
          .showError(
              title,
              "the folder '"
                  + dir
                  + "' is not empty; move its files away or delete it, then fetch again");
      return;
    }
    Optional<JobSource> src = source(row);
    if (src.isEmpty()) {
      return;
    }
    busy.set(true);
    editor.say((again ? "opening " : "fetching job " + row.id() + " into ") + dir + "…");
    TimedCalls.Call<Fetched> c =
        calls.start(
            row.source() + ": fetch job " + row.id(),
            services.timing().transfer(),
            () -> {
              JobService svc = service(src.get());
              List<String> files = again ? List.of() : svc.fetch(row.id(), dir);
              Optional<String> log =
                  "FAILED".equals(row.state()) ? svc.log(row.id(), LOG_LINES) : Optional.empty();
              return new Fetched(dir, files, FetchedOutputs.previews(dir), log);
            });
    whenDone(
        c,
        err -> {
          busy.set(false);
          services.dialogs().showError(title, messageOf(err));
          editor.say("fetch failed");
        },
        f -> {
          busy.set(false);
          open(row, f);
        });
  }

  private record Fetched(
      Path dir, List<String> files, List<OutputPreview> previews, Optional<String> log) {}

  private void open(JobRow row, Fetched f) {
    fetchedInto.put(row.id(), f.dir());
    Path trace = f.dir().resolve("trace.json");
    boolean shown = Files.isRegularFile(trace) && editor.openTrace(trace, f.previews());
    if (shown) {
      editor.say(
          "job "
              + row.id()
              + ": "
              + (f.files().isEmpty() ? "opened " : f.files().size() + " files fetched into ")
              + f.dir()
              + "; its trace is shown on the graph");
    } else if (!Files.isRegularFile(trace)) {
      editor.say("job " + row.id() + ": fetched into " + f.dir() + ", without a trace");
    }
    if ("FAILED".equals(row.state())) {
      services
          .dialogs()
          .showError(
              "Job " + row.id() + " failed",
              describe(row) + logText(f.log()) + "\nIts files are in " + f.dir());
    } else if (!Files.isRegularFile(trace)) {
      services
          .dialogs()
          .showError(
              "No trace for job " + row.id(),
              "job "
                  + row.id()
                  + " ("
                  + row.state()
                  + ") brought no trace.json back; its files are in "
                  + f.dir());
    }
  }

  // ------------------------------------------------------------------ helpers

  private Optional<JobRow> selectedOrSay(String what) {
    Optional<JobRow> r = selected.get();
    if (r.isEmpty()) {
      editor.say(what + ": select a job in the Jobs panel first");
    }
    return r;
  }

  private Optional<JobSource> source(JobRow row) {
    Optional<JobSource> s =
        services.sources().stream().filter(x -> x.kind().equals(row.source())).findFirst();
    if (s.isEmpty()) {
      services
          .dialogs()
          .showError("No job service", "this editor has no job service for " + row.source());
    }
    return s;
  }

  /** The source's service; called on a worker (a Tapis login reads the token store). */
  private JobService service(JobSource src) {
    JobService s = resolved.get(src.kind());
    if (s == null) {
      s = Objects.requireNonNull(src.service().get(), "the job service of " + src.kind());
      resolved.put(src.kind(), s);
    }
    return s;
  }

  private void withLog(JobRow r, Consumer<String> show) {
    Optional<JobSource> src =
        services.sources().stream().filter(x -> x.kind().equals(r.source())).findFirst();
    if (src.isEmpty()) {
      show.accept(logText(Optional.empty()));
      return;
    }
    TimedCalls.Call<Optional<String>> c =
        calls.start(
            r.source() + ": log of job " + r.id(),
            services.timing().call(),
            () -> service(src.get()).log(r.id(), LOG_LINES));
    track(
        c.result()
            .handle(
                (log, err) ->
                    err != null
                        ? "\n(no log: " + messageOf(err) + ")"
                        : logText(Objects.requireNonNull(log)))
            .thenCompose(text -> onUi(() -> show.accept(text))));
  }

  /** Adds work to what {@link #lastAction()} waits for. */
  private void track(CompletableFuture<Void> f) {
    lastAction = CompletableFuture.allOf(lastAction, f);
  }

  /**
   * When the user's call ends, on the UI thread: {@code onError} with its failure, else {@code
   * onResult} with its result; the reaction is tracked in {@link #lastAction()}.
   */
  private <T> void whenDone(
      TimedCalls.Call<T> call, Consumer<Throwable> onError, Consumer<T> onResult) {
    track(
        call.result()
            .handle((value, err) -> err)
            .thenCompose(
                err ->
                    onUi(
                        () -> {
                          if (err != null) {
                            onError.accept(err);
                          } else {
                            onResult.accept(call.result().join());
                          }
                        })));
  }

  private static String logText(Optional<String> log) {
    return log.filter(l -> !l.isBlank())
        .map(l -> "\n\nLast lines of jetlag.log:\n" + l)
        .orElse("\n\n(no log came back)");
  }

  /** A job in words: id, state and condition, where, and the last message. */
  static String describe(JobRow r) {
    RemoteJob j = r.job();
    StringBuilder b = new StringBuilder();
    b.append("job ").append(j.uuid()).append(": ").append(j.status());
    if (!j.condition().isEmpty()) {
      b.append(" (").append(j.condition()).append(')');
    }
    b.append("\n").append(j.name()).append(" on ").append(r.target());
    if (!j.created().isEmpty()) {
      b.append(", created ").append(j.created());
    }
    if (!j.lastMessage().isEmpty()) {
      b.append("\n").append(j.lastMessage());
    }
    return b.toString();
  }

  private static boolean emptyOrAbsent(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private CompletableFuture<Void> onUi(Runnable r) {
    CompletableFuture<Void> shown = new CompletableFuture<>();
    services
        .ui()
        .execute(
            () -> {
              try {
                r.run();
                shown.complete(null);
              } catch (RuntimeException e) {
                shown.completeExceptionally(e);
                throw e;
              }
            });
    return shown;
  }

  private static boolean isTimeout(Throwable err) {
    return messageOf(err).contains("no answer within");
  }

  private static String messageOf(Throwable err) {
    Throwable e =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    String m = e.getMessage();
    return e instanceof JetLagException && m != null ? m : e.getClass().getSimpleName() + ": " + m;
  }
}
