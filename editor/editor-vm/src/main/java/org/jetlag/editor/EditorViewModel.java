package org.jetlag.editor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import javafx.collections.ObservableSet;
import org.jetlag.editor.internal.RunEvents;
import org.jetlag.editor.internal.StateFiles;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Position;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.Advice;
import org.jetlag.perf.NodeProfile;
import org.jetlag.perf.RunInfo;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.Runner;
import org.jetlag.runner.plan.Planner;

/**
 * The editor window's view model: the document and its history, files, validation, the palette and
 * property sheet, runs with live node status, and what a finished run or an opened trace shows
 * (timing overlay, timeline, profile, advice, output previews).
 *
 * <p>Everything here is called on the UI thread and changes its properties on the UI thread only;
 * runs and file work happen on the injected executor, their results handed back through the {@link
 * UiScheduler}.
 */
public final class EditorViewModel {
  /**
   * What the view model needs from outside.
   *
   * @param dialogs asks the user things
   * @param ui runs work on the UI thread
   * @param background runs slow work (trace summaries, autosave) off the UI thread
   * @param runners the runners offered, the first one chosen at start
   * @param layouter automatic layout
   * @param stateDir where recent files and the recovery copy live
   */
  public record Services(
      DialogService dialogs,
      UiScheduler ui,
      Executor background,
      List<RunnerChoice> runners,
      Layouter layouter,
      Path stateDir) {
    /** Validates and copies. */
    public Services {
      Objects.requireNonNull(dialogs, "dialogs");
      Objects.requireNonNull(ui, "ui");
      Objects.requireNonNull(background, "background");
      runners = List.copyOf(runners);
      if (runners.isEmpty()) {
        throw new IllegalArgumentException("at least one runner must be offered");
      }
      Objects.requireNonNull(layouter, "layouter");
      Objects.requireNonNull(stateDir, "stateDir");
    }
  }

  private final Services services;
  private final StateFiles state;
  private final History history = new History(500);
  private final ReadOnlyObjectWrapper<Document> document =
      new ReadOnlyObjectWrapper<>(this, "document", Document.of(emptyGraph()));
  private final ReadOnlyObjectWrapper<PortTypes> portTypes =
      new ReadOnlyObjectWrapper<>(this, "portTypes", PortTypes.of(emptyGraph()));
  private final ReadOnlyObjectWrapper<Optional<Path>> file =
      new ReadOnlyObjectWrapper<>(this, "file", Optional.empty());
  private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
  private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title");
  private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
  private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
  private final ObservableList<Diagnostic> diagnostics = FXCollections.observableArrayList();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<Diagnostic> diagnosticsView =
      FXCollections.unmodifiableObservableList(diagnostics);
  private final ObservableSet<String> problemKeys = FXCollections.observableSet();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableSet<String> problemKeysView =
      FXCollections.unmodifiableObservableSet(problemKeys);
  private final ObservableList<Path> recent = FXCollections.observableArrayList();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<Path> recentView = FXCollections.unmodifiableObservableList(recent);
  private final PaletteViewModel palette = new PaletteViewModel();
  private final PropertySheetViewModel properties = new PropertySheetViewModel(this);
  private final ObjectProperty<RunnerChoice> runner;
  private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
  private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
  private final ObservableMap<String, NodeStatus> statuses = FXCollections.observableHashMap();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableMap<String, NodeStatus> statusesView =
      FXCollections.unmodifiableObservableMap(statuses);
  private final ObservableMap<String, String> failures = FXCollections.observableHashMap();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableMap<String, String> failuresView =
      FXCollections.unmodifiableObservableMap(failures);
  private final ReadOnlyObjectWrapper<Optional<TimingOverlay>> overlay =
      new ReadOnlyObjectWrapper<>(this, "overlay", Optional.empty());
  private final BooleanProperty overlayVisible =
      new SimpleBooleanProperty(this, "overlayVisible", true);
  private final ReadOnlyObjectWrapper<Optional<Timeline>> timeline =
      new ReadOnlyObjectWrapper<>(this, "timeline", Optional.empty());
  private final ObservableList<NodeProfile> profile = FXCollections.observableArrayList();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<NodeProfile> profileView =
      FXCollections.unmodifiableObservableList(profile);
  private final ObservableList<String> advice = FXCollections.observableArrayList();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<String> adviceView =
      FXCollections.unmodifiableObservableList(advice);
  private final ObservableList<OutputPreview> previews = FXCollections.observableArrayList();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<OutputPreview> previewsView =
      FXCollections.unmodifiableObservableList(previews);
  private final Map<String, Path> inputFiles = new LinkedHashMap<>();
  private final AtomicReference<Optional<String>> pendingRecovery = new AtomicReference<>();
  private Graph saved = emptyGraph();
  private Optional<Graph> validated = Optional.empty();
  private Clipboard clipboard = Clipboard.empty();
  private Optional<RunHandle> handle = Optional.empty();
  private CompletableFuture<Void> lastRun = CompletableFuture.completedFuture(null);

  /** A view model with an empty untitled document. */
  public EditorViewModel(Services services) {
    this.services = Objects.requireNonNull(services, "services");
    this.state = new StateFiles(services.stateDir());
    this.runner = new SimpleObjectProperty<>(this, "runner", services.runners().get(0));
    recent.setAll(state.recent());
    dirty.addListener((o, a, b) -> updateTitle());
    file.addListener((o, a, b) -> updateTitle());
    show(document.get());
  }

  private static Graph emptyGraph() {
    return Graph.of("untitled", "", List.of(), List.of());
  }

  // ------------------------------------------------------------------ properties

  /** The document shown. */
  public ReadOnlyObjectProperty<Document> documentProperty() {
    return document.getReadOnlyProperty();
  }

  /** The document shown now. */
  public Document document() {
    return document.get();
  }

  /** The ports of the current scope's nodes and the types known on them. */
  public ReadOnlyObjectProperty<PortTypes> portTypesProperty() {
    return portTypes.getReadOnlyProperty();
  }

  /** The file the document was opened from or saved to; empty when untitled. */
  public ReadOnlyObjectProperty<Optional<Path>> fileProperty() {
    return file.getReadOnlyProperty();
  }

  /** True when the graph differs from the file. */
  public ReadOnlyBooleanProperty dirtyProperty() {
    return dirty.getReadOnlyProperty();
  }

  /** The window title: {@code * kmeans — graph.json} with a star when dirty. */
  public ReadOnlyStringProperty titleProperty() {
    return title.getReadOnlyProperty();
  }

  /** True when there is an edit to undo. */
  public ReadOnlyBooleanProperty canUndoProperty() {
    return canUndo.getReadOnlyProperty();
  }

  /** True when there is an edit to redo. */
  public ReadOnlyBooleanProperty canRedoProperty() {
    return canRedo.getReadOnlyProperty();
  }

  /** The status line: the last refusal, save or run outcome. */
  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  /** Every problem of the whole graph (body nodes as {@code loop/node}). */
  public ObservableList<Diagnostic> diagnostics() {
    return diagnosticsView;
  }

  /** Trace keys of nodes with an error, and of the composites and loops holding them. */
  public ObservableSet<String> problemKeys() {
    return problemKeysView;
  }

  /** Recently opened files, newest first. */
  public ObservableList<Path> recentFiles() {
    return recentView;
  }

  /** The palette. */
  public PaletteViewModel palette() {
    return palette;
  }

  /** The property sheet of the selected node. */
  public PropertySheetViewModel properties() {
    return properties;
  }

  /** The runners offered. */
  public List<RunnerChoice> runners() {
    return services.runners();
  }

  /** The runner the next run uses. */
  public ObjectProperty<RunnerChoice> runnerProperty() {
    return runner;
  }

  /** True while a run is in progress. */
  public ReadOnlyBooleanProperty runningProperty() {
    return running.getReadOnlyProperty();
  }

  /** Tasks done out of tasks known, 0 to 1. */
  public ReadOnlyDoubleProperty progressProperty() {
    return progress.getReadOnlyProperty();
  }

  /** The status of each node of the run, by trace key. */
  public ObservableMap<String, NodeStatus> statuses() {
    return statusesView;
  }

  /** The failure message of each failed node, by trace key. */
  public ObservableMap<String, String> failures() {
    return failuresView;
  }

  /** The timing of the last run or opened trace. */
  public ReadOnlyObjectProperty<Optional<TimingOverlay>> overlayProperty() {
    return overlay.getReadOnlyProperty();
  }

  /** Whether the canvas draws the timing overlay. */
  public BooleanProperty overlayVisibleProperty() {
    return overlayVisible;
  }

  /** The timeline of the last run or opened trace. */
  public ReadOnlyObjectProperty<Optional<Timeline>> timelineProperty() {
    return timeline.getReadOnlyProperty();
  }

  /** Per-node profile rows of the last run, most expensive first. */
  public ObservableList<NodeProfile> profile() {
    return profileView;
  }

  /** Advice lines read from the last trace. */
  public ObservableList<String> advice() {
    return adviceView;
  }

  /** A preview per output of the last run. */
  public ObservableList<OutputPreview> previews() {
    return previewsView;
  }

  /** Completes when the last run started has been shown (for tests and shutdown). */
  public CompletableFuture<Void> lastRun() {
    return lastRun;
  }

  // ------------------------------------------------------------------ editing

  /** Replaces the document with an edited one, recording an undo step when the graph changed. */
  public void apply(Document next) {
    apply(next, Optional.empty());
  }

  private void apply(Document next, Optional<String> mergeKey) {
    Document before = document.get();
    if (!before.root().equals(next.root())) {
      history.record(before, mergeKey);
    }
    show(next);
  }

  private void show(Document d) {
    Document before = document.get();
    boolean graphChanged = !before.root().equals(d.root());
    // port types first: views redraw when the document changes and read them
    if (graphChanged || !before.scope().equals(d.scope())) {
      portTypes.set(PortTypes.of(d.current()));
    }
    document.set(d);
    // selection and scope changes neither revalidate nor autosave: only graph changes do
    if (validated.isEmpty() || !validated.get().equals(d.root())) {
      revalidate(d);
      validated = Optional.of(d.root());
    }
    dirty.set(!d.root().equals(saved));
    canUndo.set(history.canUndo());
    canRedo.set(history.canRedo());
    properties.update(d);
    if (dirty.get() && graphChanged) {
      scheduleRecovery(d.root());
    }
  }

  private void revalidate(Document d) {
    List<Diagnostic> ds = Validation.validate(d.root()).diagnostics();
    diagnostics.setAll(ds);
    Set<String> keys = new HashSet<>();
    for (Diagnostic x : ds) {
      if (x.isError() && x.nodeId().isPresent()) {
        String k = x.nodeId().get();
        keys.add(k);
        for (int i = k.indexOf('/'); i >= 0; i = k.indexOf('/', i + 1)) {
          keys.add(k.substring(0, i));
        }
      }
    }
    problemKeys.retainAll(keys);
    problemKeys.addAll(keys);
  }

  /** Adds a node of an op at a canvas position and selects it. */
  public void addNode(String op, Position at) {
    apply(Edits.addNode(document.get(), op, at));
  }

  /** Selects exactly these nodes (selection changes are not undo steps). */
  public void select(Collection<String> ids) {
    show(document.get().withSelection(ids));
  }

  /** Adds a node to the selection, or removes it when selected. */
  public void toggleSelect(String id) {
    Set<String> s = new LinkedHashSet<>(document.get().selection());
    if (!s.remove(id)) {
      s.add(id);
    }
    select(s);
  }

  /** Selects the nodes whose boxes meet the rectangle (box selection), optionally adding. */
  public void selectBox(double x0, double y0, double x1, double y1, boolean add) {
    Graph g = document.get().current();
    PortTypes pt = portTypes.get();
    Set<String> s = new LinkedHashSet<>(add ? document.get().selection() : List.of());
    for (Node n : g.nodes()) {
      NodeGeometry box = NodeGeometry.of(n, pt.inputs(n.id()).size(), pt.outputs(n.id()).size());
      if (box.intersects(x0, y0, x1, y1)) {
        s.add(n.id());
      }
    }
    select(s);
  }

  /** Selects every node of the current scope. */
  public void selectAll() {
    select(document.get().current().nodes().stream().map(Node::id).toList());
  }

  /**
   * Selects the node a trace key names (a timeline bar, a diagnostic, a profile row), opening the
   * body it is in. Keys of nodes that are not in the graph are ignored.
   */
  public void selectKey(String key) {
    List<String> parts = List.of(key.split("/"));
    List<String> scope = parts.subList(0, parts.size() - 1);
    String id = parts.get(parts.size() - 1);
    Document d = document.get();
    try {
      Document there = scope.equals(d.scope()) ? d : d.withScope(scope);
      if (there.current().node(id).isPresent()) {
        show(there.withSelection(List.of(id)));
      }
    } catch (IllegalArgumentException e) {
      // a key of a node that is not in this graph (an older trace)
    }
  }

  /** Moves the selected nodes by (dx, dy); a drag makes one undo step. */
  public void moveSelection(double dx, double dy) {
    apply(Edits.move(document.get(), document.get().selection(), dx, dy));
  }

  /** Deletes the selected nodes and their edges. */
  public void deleteSelection() {
    if (!document.get().selection().isEmpty()) {
      apply(Edits.deleteSelection(document.get()));
    }
  }

  /** Removes one edge. */
  public void disconnect(Edge e) {
    apply(Edits.disconnect(document.get(), e));
  }

  /** A checker for a connection dragged from an output port. */
  public Connections beginConnection(PortRef from) {
    return Connections.from(document.get(), from);
  }

  /**
   * Connects an output port to an input port if they fit; otherwise refuses, and the message
   * property says why.
   */
  public Connections.Verdict connect(PortRef from, PortRef to) {
    return connect(beginConnection(from), to);
  }

  /** Connects with a checker made at the drag's start. */
  public Connections.Verdict connect(Connections c, PortRef to) {
    Connections.Verdict v = c.check(to);
    if (v.ok()) {
      apply(Edits.connect(document.get(), c.source(), to));
      message.set("connected " + c.source() + " → " + to);
    } else {
      message.set("cannot connect " + c.source() + " → " + to + ": " + v.reason());
    }
    return v;
  }

  /** Sets a parameter of a node from the property sheet; keystrokes merge into one undo step. */
  void setParam(String nodeId, String param, Optional<Object> raw) {
    apply(
        Edits.setParam(document.get(), nodeId, param, raw.orElse(null)),
        Optional.of(document.get().traceKey(nodeId) + "#" + param));
  }

  /** Copies the selection. */
  public void copy() {
    clipboard = Edits.copy(document.get());
  }

  /** Copies and deletes the selection. */
  public void cut() {
    copy();
    deleteSelection();
  }

  /** Pastes what was copied, offset from the originals. */
  public void paste() {
    if (!clipboard.isEmpty()) {
      apply(Edits.paste(document.get(), clipboard, 40, 40));
      clipboard =
          new Clipboard(
              clipboard.nodes().stream()
                  .map(
                      n ->
                          n.withPosition(
                              new Position(
                                  n.position().orElse(new Position(0, 0)).x() + 40,
                                  n.position().orElse(new Position(0, 0)).y() + 40)))
                  .toList(),
              clipboard.edges());
    }
  }

  /** Duplicates the selection. */
  public void duplicate() {
    if (!document.get().selection().isEmpty()) {
      apply(Edits.duplicate(document.get()));
    }
  }

  /** Groups the selection into a composite node. */
  public void group() {
    if (!document.get().selection().isEmpty()) {
      apply(Edits.group(document.get()));
    }
  }

  /** Opens the body of a composite or loop node for editing. */
  public void openBody(String nodeId) {
    Document d = document.get();
    if (d.current().node(nodeId).flatMap(Node::body).isPresent()) {
      List<String> scope = new ArrayList<>(d.scope());
      scope.add(nodeId);
      show(d.withScope(scope));
    }
  }

  /** Goes up from an opened body to the graph holding it, selecting the body's node. */
  public void closeBody() {
    Document d = document.get();
    if (!d.scope().isEmpty()) {
      String id = d.scope().get(d.scope().size() - 1);
      show(d.withScope(d.scope().subList(0, d.scope().size() - 1)).withSelection(List.of(id)));
    }
  }

  /** Lays the current scope out automatically. */
  public void layout() {
    Document d = document.get();
    apply(Edits.place(d, services.layouter().layout(d.current(), PortTypes.of(d.current()))));
  }

  /** Undoes the last edit. */
  public void undo() {
    history.undo(document.get()).ifPresent(this::show);
  }

  /** Redoes the last undone edit. */
  public void redo() {
    history.redo(document.get()).ifPresent(this::show);
  }

  // ------------------------------------------------------------------ files

  /** Starts an empty untitled document, after asking about unsaved changes. */
  public void newDocument() {
    if (confirmDiscard()) {
      reset(emptyGraph(), Optional.empty(), emptyGraph());
    }
  }

  /** Asks for a graph file and opens it. */
  public void open() {
    if (confirmDiscard()) {
      services
          .dialogs()
          .chooseFileToOpen("Open graph", List.of("json"))
          .ifPresent(p -> openFile(p, false));
    }
  }

  /**
   * Opens a graph file (without asking about unsaved changes). Nodes without positions are laid out
   * automatically (which makes the document dirty).
   *
   * @return true when the file was opened
   */
  public boolean open(Path path) {
    return openFile(path, false);
  }

  /** Opens a file from the recent list, after asking about unsaved changes. */
  public void openRecent(Path path) {
    if (confirmDiscard()) {
      openFile(path, false);
    }
  }

  private boolean openFile(Path path, boolean quiet) {
    Graph g;
    try {
      g = GraphJson.read(path);
    } catch (JetLagException e) {
      if (!quiet) {
        services.dialogs().showError("Cannot open " + path.getFileName(), e.getMessage());
      }
      return false;
    }
    reset(withLayout(g), Optional.of(path), g);
    remember(path);
    message.set("opened " + path);
    return true;
  }

  private Graph withLayout(Graph g) {
    if (g.nodes().stream().allMatch(n -> n.position().isPresent())) {
      return g;
    }
    Document d = Document.of(g);
    return Edits.place(d, services.layouter().layout(g, PortTypes.of(g))).root();
  }

  private void reset(Graph g, Optional<Path> path, Graph savedAs) {
    history.clear();
    saved = savedAs;
    inputFiles.clear();
    file.set(path);
    clearRun();
    validated = Optional.empty();
    show(Document.of(g));
    updateTitle();
  }

  /** Saves to the document's file, or asks for one. @return true when saved */
  public boolean save() {
    Optional<Path> f = file.get();
    return f.isPresent() ? saveTo(f.get()) : saveAs();
  }

  /** Asks for a file and saves there. @return true when saved */
  public boolean saveAs() {
    String suggested = document.get().root().name() + ".json";
    Optional<Path> p = services.dialogs().chooseFileToSave("Save graph", suggested);
    return p.isPresent() && saveTo(p.get());
  }

  /** Saves to that file (atomically) and makes it the document's file. @return true when saved */
  public boolean saveTo(Path path) {
    Graph g = document.get().root();
    try {
      GraphJson.write(g, path);
    } catch (JetLagException e) {
      services.dialogs().showError("Cannot save " + path.getFileName(), e.getMessage());
      return false;
    }
    saved = g;
    file.set(Optional.of(path));
    dirty.set(false);
    pendingRecovery.set(Optional.empty());
    services.background().execute(this::clearRecovery);
    remember(path);
    message.set("saved " + path);
    return true;
  }

  /**
   * Asks whether to discard unsaved changes, if there are any.
   *
   * @return true when there is nothing unsaved or the user agreed to lose it
   */
  public boolean confirmDiscard() {
    return !dirty.get()
        || services
            .dialogs()
            .confirm("Unsaved changes", "Discard the unsaved changes to " + title.get() + "?");
  }

  /**
   * Offers the recovery copy of unsaved work left by an editor that did not close cleanly.
   *
   * @return true when it was recovered
   */
  public boolean offerRecovery() {
    Optional<StateFiles.Recovery> r = state.readRecovery();
    if (r.isEmpty()) {
      return false;
    }
    String where = r.get().file().map(Path::toString).orElse("an untitled graph");
    if (!services
        .dialogs()
        .confirm(
            "Recover unsaved work",
            "The editor closed with unsaved changes to " + where + ". Recover them?")) {
      clearRecovery();
      return false;
    }
    Graph g;
    try {
      g = GraphJson.parse(r.get().json(), "recovery copy");
    } catch (JetLagException e) {
      services.dialogs().showError("Cannot recover", e.getMessage());
      return false;
    }
    Graph base =
        r.get()
            .file()
            .filter(Files::exists)
            .map(p -> readQuietly(p).orElse(emptyGraph()))
            .orElse(emptyGraph());
    reset(g, r.get().file(), base);
    message.set("recovered unsaved work" + r.get().file().map(p -> " on " + p).orElse(""));
    return true;
  }

  private static Optional<Graph> readQuietly(Path p) {
    try {
      return Optional.of(GraphJson.read(p));
    } catch (JetLagException e) {
      return Optional.empty();
    }
  }

  /**
   * Called when the window closes after {@link #confirmDiscard()} agreed: stops a run and drops the
   * recovery copy (the user chose to lose unsaved changes, or there were none).
   */
  public void closed() {
    handle.ifPresent(RunHandle::cancel);
    pendingRecovery.set(Optional.empty());
    clearRecovery();
  }

  private void scheduleRecovery(Graph g) {
    String json = GraphJson.write(g);
    Optional<String> before = pendingRecovery.getAndSet(Optional.of(json));
    if (before == null || before.isEmpty()) {
      Optional<Path> f = file.get();
      services.background().execute(() -> writeRecovery(f));
    }
  }

  private void writeRecovery(Optional<Path> f) {
    Optional<String> json = pendingRecovery.getAndSet(Optional.empty());
    if (json == null || json.isEmpty()) {
      return;
    }
    try {
      state.writeRecovery(json.get(), f);
    } catch (IOException e) {
      services.ui().execute(() -> message.set("autosave failed: " + e.getMessage()));
    }
  }

  private void clearRecovery() {
    try {
      state.clearRecovery();
    } catch (IOException e) {
      services.ui().execute(() -> message.set("cannot remove the recovery copy: " + e));
    }
  }

  private void remember(Path path) {
    try {
      recent.setAll(state.addRecent(path));
    } catch (IOException e) {
      message.set("cannot update the recent files: " + e.getMessage());
    }
  }

  private void updateTitle() {
    String name =
        file.get()
            .map(p -> document.get().root().name() + " — " + p.getFileName())
            .orElse(document.get().root().name() + " (untitled)");
    title.set((dirty.get() ? "* " : "") + name + " — JetLag");
  }

  // ------------------------------------------------------------------ runs

  /**
   * Runs the graph with the chosen runner. Graph inputs are read from {@code <name>.npy} (or {@code
   * .arrow}, {@code .csv}) next to the graph file, else the user is asked for a file once. Does
   * nothing, after saying why, when the graph has errors or an input is not given.
   */
  public void run() {
    if (running.get()) {
      return;
    }
    Graph g = document.get().root();
    Validation.Result v = Validation.validate(g);
    if (!v.ok()) {
      services
          .dialogs()
          .showError(
              "Cannot run",
              "The graph has "
                  + v.errors().size()
                  + " problem(s); the first: "
                  + v.errors().get(0)
                  + "\nSee the Problems panel.");
      return;
    }
    TypedGraph typed = v.typed().orElseThrow();
    Path base = file.get().map(p -> p.toAbsolutePath().getParent()).orElse(Path.of("."));
    RunRequest request = RunRequest.create().withBaseDir(base);
    Optional<Map<String, Path>> sources = inputFiles(g, base, "run");
    if (sources.isEmpty()) {
      return;
    }
    for (Map.Entry<String, Path> e : sources.get().entrySet()) {
      request = request.withInput(e.getKey(), e.getValue());
    }
    clearRun();
    List<String> keys = new ArrayList<>();
    collectKeys(g, "", keys);
    keys.forEach(k -> statuses.put(k, NodeStatus.QUEUED));
    RunEvents events = new RunEvents(services.ui(), this::applyEvents);
    RunnerChoice choice = runner.get();
    RunHandle h;
    try {
      Runner r = choice.runner().get();
      h = r.start(typed, request.withOptions(RunOptions.defaults().withListener(events)));
    } catch (RuntimeException e) {
      statuses.clear();
      services.dialogs().showError("Cannot start the run", String.valueOf(e.getMessage()));
      return;
    }
    handle = Optional.of(h);
    running.set(true);
    progress.set(0);
    message.set("running on " + choice.name() + "…");
    long t0 = System.nanoTime();
    lastRun =
        h.result()
            .handleAsync((res, err) -> summarise(res, err), services.background())
            .thenAccept(
                s ->
                    services
                        .ui()
                        .execute(
                            () -> {
                              events.drain();
                              finish(s, choice.name(), (System.nanoTime() - t0) / 1e6);
                            }));
  }

  /** Asks the running run to stop. */
  public void cancel() {
    handle.ifPresent(RunHandle::cancel);
  }

  /**
   * The data file of every input of {@code g}, by input name, found as {@link #run()} finds them;
   * empty (after saying so in the status line) when the user gave none for one of them.
   */
  Optional<Map<String, Path>> inputFiles(Graph g, Path base, String what) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (Node in : g.inputNodes()) {
      String name = String.valueOf(in.params().get("name"));
      Optional<Path> source = inputFile(base, name);
      if (source.isEmpty()) {
        message.set(what + " cancelled: no data for input '" + name + "'");
        return Optional.empty();
      }
      files.put(name, source.get());
    }
    return Optional.of(files);
  }

  /** Shows a line in the status line (for the jobs panel's outcomes). */
  void say(String text) {
    message.set(text);
  }

  private Optional<Path> inputFile(Path base, String name) {
    Path known = inputFiles.get(name);
    if (known != null && Files.exists(known)) {
      return Optional.of(known);
    }
    Optional<Path> beside = Planner.inputBeside(base, name);
    if (beside.isPresent()) {
      return beside;
    }
    Optional<Path> chosen =
        services
            .dialogs()
            .chooseFileToOpen("Data for input '" + name + "'", Planner.INPUT_EXTENSIONS);
    chosen.ifPresent(p -> inputFiles.put(name, p));
    return chosen;
  }

  private static void collectKeys(Graph g, String prefix, List<String> out) {
    for (Node n : g.nodes()) {
      out.add(prefix + n.id());
      n.body().ifPresent(b -> collectKeys(b, prefix + n.id() + "/", out));
    }
  }

  private void applyEvents(RunEvents.Batch b) {
    for (RunEvent e : b.nodeEvents()) {
      if (e instanceof RunEvent.NodeStarted) {
        statuses.put(((RunEvent.NodeStarted) e).nodeId(), NodeStatus.RUNNING);
      } else if (e instanceof RunEvent.NodeFinished) {
        statuses.put(((RunEvent.NodeFinished) e).nodeId(), NodeStatus.DONE);
      } else if (e instanceof RunEvent.NodeFailed) {
        RunEvent.NodeFailed f = (RunEvent.NodeFailed) e;
        statuses.put(f.nodeId(), NodeStatus.FAILED);
        failures.put(f.nodeId(), f.message());
      }
    }
    if (b.progress() != null && b.progress().total() > 0) {
      progress.set((double) b.progress().done() / b.progress().total());
    }
  }

  /** What a finished run leaves to show, computed off the UI thread. */
  private record Summary(
      Optional<Trace> trace,
      Optional<TimingOverlay> overlay,
      Optional<Timeline> timeline,
      List<String> advice,
      List<OutputPreview> previews,
      Optional<Throwable> error) {}

  private static Summary summarise(RunResult res, Throwable err) {
    if (err != null) {
      Throwable cause =
          err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      return new Summary(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          List.of(),
          Optional.of(cause));
    }
    try (res) {
      Trace t = res.trace();
      List<OutputPreview> pv = new ArrayList<>();
      res.outputs().forEach((name, a) -> pv.add(OutputPreview.of(name, a)));
      return new Summary(
          Optional.of(t),
          Optional.of(TimingOverlay.of(t)),
          Optional.of(Timeline.of(t)),
          Advice.of(t),
          pv,
          Optional.empty());
    } catch (RuntimeException e) {
      return new Summary(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          List.of(),
          Optional.of(e));
    }
  }

  private void finish(Summary s, String runnerName, double millis) {
    running.set(false);
    handle = Optional.empty();
    if (s.error().isPresent()) {
      Throwable e = s.error().get();
      statuses.replaceAll((k, v) -> v == NodeStatus.FAILED ? v : NodeStatus.IDLE);
      if (e instanceof CancellationException) {
        message.set("run cancelled");
      } else {
        String m = String.valueOf(e.getMessage());
        if (e instanceof JetLagException) {
          ((JetLagException) e)
              .nodeId()
              .ifPresent(
                  id -> {
                    statuses.put(id, NodeStatus.FAILED);
                    failures.putIfAbsent(id, m);
                  });
        }
        message.set("run failed: " + m);
      }
      return;
    }
    progress.set(1);
    statuses.replaceAll((k, v) -> v == NodeStatus.FAILED ? v : NodeStatus.DONE);
    showTrace(s);
    message.set(
        String.format(
            java.util.Locale.ROOT,
            "run done on %s in %.0f ms",
            runnerName,
            s.overlay().map(TimingOverlay::wallMillis).orElse(millis)));
  }

  private void showTrace(Summary s) {
    overlay.set(s.overlay());
    timeline.set(s.timeline());
    advice.setAll(s.advice());
    previews.setAll(s.previews());
    List<NodeProfile> rows = new ArrayList<>(s.trace().map(Trace::nodes).orElse(List.of()));
    rows.sort((a, b) -> Long.compare(b.totalNanos(), a.totalNanos()));
    profile.setAll(rows);
  }

  private void clearRun() {
    statuses.clear();
    failures.clear();
    overlay.set(Optional.empty());
    timeline.set(Optional.empty());
    profile.clear();
    advice.clear();
    previews.clear();
    progress.set(0);
  }

  /** Asks for a trace file ({@code jetlag run --trace}) and opens it onto its graph. */
  public void openTrace() {
    services.dialogs().chooseFileToOpen("Open trace", List.of("json")).ifPresent(this::openTrace);
  }

  /**
   * Opens a saved trace file onto its graph: when the trace's graph is not the one open, it
   * replaces the document (as untitled, after asking about unsaved changes).
   *
   * @return true when the trace is shown
   */
  public boolean openTrace(Path path) {
    return openTrace(path, List.of());
  }

  /**
   * Opens a saved trace as {@link #openTrace(Path)} does, with previews of the run's outputs (read
   * by the caller, off the UI thread, from the files written beside the trace).
   */
  boolean openTrace(Path path, List<OutputPreview> outputs) {
    Trace t;
    try {
      t = TraceJson.read(path);
    } catch (JetLagException e) {
      services.dialogs().showError("Cannot open " + path.getFileName(), e.getMessage());
      return false;
    }
    String hash = RunInfo.hashOf(document.get().root());
    if (!hash.equals(t.info().graphHash()) && !t.graph().equals(document.get().root())) {
      if (!confirmDiscard()) {
        return false;
      }
      Graph g = t.graph();
      reset(withLayout(g), Optional.empty(), g);
    }
    Summary s =
        new Summary(
            Optional.of(t),
            Optional.of(TimingOverlay.of(t)),
            Optional.of(Timeline.of(t)),
            Advice.of(t),
            List.copyOf(outputs),
            Optional.empty());
    clearRun();
    showTrace(s);
    // a trace is written by a run that ended well: every node is done, as after a run here
    List<String> keys = new ArrayList<>();
    collectKeys(t.graph(), "", keys);
    keys.forEach(k -> statuses.put(k, NodeStatus.DONE));
    message.set(
        "trace "
            + path.getFileName()
            + ": "
            + t.info().runner()
            + ", "
            + t.spans().size()
            + " tasks");
    return true;
  }
}
