package org.jetlag.editor.fx;

import java.nio.file.Path;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.JobsViewModel;
import org.jetlag.editor.RunnerChoice;
import org.jetlag.graph.Diagnostic;
import org.jetlag.perf.NodeProfile;

/**
 * The editor window's content: menus and tool bar, the palette on the left, the canvas in the
 * middle, properties and problems on the right, and the run panels (timeline, profile, results,
 * advice) below.
 */
public final class MainWindow {
  private final EditorViewModel vm;
  private final StackPane root = new StackPane();
  private final Pane dragLayer = new Pane();
  private final GraphCanvas canvas;
  private final TimelineView timeline;
  private final TabPane bottom = new TabPane();
  private final Optional<JobsViewModel> jobs;
  private Optional<JobsView> jobsView = Optional.empty();

  /** The window content for a view model, without remote jobs. */
  public MainWindow(EditorViewModel vm) {
    this(vm, Optional.empty());
  }

  /** The window content for a view model and, when given, its remote jobs (the Remote menu). */
  public MainWindow(EditorViewModel vm, Optional<JobsViewModel> jobs) {
    this.vm = vm;
    this.jobs = jobs;
    jobs.ifPresent(this::addJobsTab);
    this.canvas = new GraphCanvas(vm);
    this.timeline = new TimelineView(vm);
    dragLayer.setPickOnBounds(false);
    dragLayer.setMouseTransparent(true);
    PaletteView palette =
        new PaletteView(vm.palette(), dragLayer, (op, at) -> canvas.drop(op, at[0], at[1]));
    dragLayer.getChildren().add(palette.ghost());

    BorderPane main = new BorderPane();
    main.setTop(new VBox(menus(), toolbar()));
    SplitPane centre = new SplitPane();
    centre.setOrientation(Orientation.VERTICAL);
    SplitPane middle = new SplitPane(palette, canvas, rightSide());
    middle.setDividerPositions(0.16, 0.77);
    SplitPane.setResizableWithParent(palette, false);
    centre.getItems().addAll(middle, bottomTabs());
    centre.setDividerPositions(0.68);
    main.setCenter(centre);
    main.setBottom(statusBar());
    root.getChildren().addAll(main, dragLayer);
    // a newly opened graph or body is shown whole
    vm.fileProperty().addListener((o, a, b) -> fitLater());
    vm.documentProperty()
        .addListener(
            (o, a, b) -> {
              if (!a.scope().equals(b.scope())) {
                fitLater();
              }
            });
  }

  private void fitLater() {
    javafx.application.Platform.runLater(canvas::fit);
  }

  /** The root node to put in a scene. */
  public Parent root() {
    return root;
  }

  /** The canvas (for tests and screenshots). */
  GraphCanvas canvas() {
    return canvas;
  }

  /** The timeline (for tests and screenshots). */
  TimelineView timeline() {
    return timeline;
  }

  /** The jobs table (for tests). */
  javafx.scene.control.TableView<org.jetlag.editor.JobRow> jobsTable() {
    return jobsView.orElseThrow().table();
  }

  /** Shows a bottom tab by its text. */
  void showTab(String text) {
    bottom.getTabs().stream()
        .filter(t -> t.getText().equals(text))
        .findFirst()
        .ifPresent(t -> bottom.getSelectionModel().select(t));
  }

  /** Zooms to show the whole graph. */
  public void fit() {
    canvas.fit();
  }

  private MenuBar menus() {
    Menu file = new Menu("_File");
    Menu recent = new Menu("Open _Recent");
    Runnable fillRecent =
        () -> {
          recent.getItems().clear();
          for (Path p : vm.recentFiles()) {
            MenuItem i = new MenuItem(p.toString());
            i.setOnAction(e -> vm.openRecent(p));
            recent.getItems().add(i);
          }
          recent.setDisable(recent.getItems().isEmpty());
        };
    vm.recentFiles().addListener((ListChangeListener<Path>) c -> fillRecent.run());
    fillRecent.run();
    file.getItems()
        .addAll(
            item("_New", "Shortcut+N", vm::newDocument),
            item("_Open…", "Shortcut+O", vm::open),
            recent,
            item("Open _Trace…", "Shortcut+Shift+O", vm::openTrace),
            new SeparatorMenuItem(),
            item("_Save", "Shortcut+S", vm::save),
            item("Save _As…", "Shortcut+Shift+S", vm::saveAs));
    Menu edit = new Menu("_Edit");
    MenuItem undo = item("_Undo", "Shortcut+Z", vm::undo);
    undo.disableProperty().bind(vm.canUndoProperty().not());
    MenuItem redo = item("_Redo", "Shortcut+Shift+Z", vm::redo);
    redo.disableProperty().bind(vm.canRedoProperty().not());
    edit.getItems()
        .addAll(
            undo,
            redo,
            item("Redo", "Shortcut+Y", vm::redo),
            new SeparatorMenuItem(),
            item("Cu_t", "Shortcut+X", vm::cut),
            item("_Copy", "Shortcut+C", vm::copy),
            item("_Paste", "Shortcut+V", vm::paste),
            item("_Duplicate", "Shortcut+D", vm::duplicate),
            item("Select _All", "Shortcut+A", vm::selectAll),
            new SeparatorMenuItem(),
            item("_Group into Composite", "Shortcut+G", vm::group));
    Menu view = new Menu("_View");
    CheckMenuItem overlay = new CheckMenuItem("Timing _Overlay");
    overlay.selectedProperty().bindBidirectional(vm.overlayVisibleProperty());
    overlay.setAccelerator(KeyCombination.keyCombination("Shortcut+T"));
    view.getItems()
        .addAll(
            item("_Fit", "Shortcut+0", canvas::fit),
            item("Zoom _In", "Shortcut+EQUALS", () -> canvas.zoom(1.25)),
            item("Zoom O_ut", "Shortcut+MINUS", () -> canvas.zoom(0.8)),
            item("Automatic _Layout", "Shortcut+L", this::layout),
            item("Go _Up (close body)", "Shortcut+UP", vm::closeBody),
            overlay);
    Menu run = new Menu("_Run");
    run.getItems()
        .addAll(item("_Run", "F5", this::run), item("_Cancel", "Shortcut+PERIOD", vm::cancel));
    MenuBar bar = new MenuBar(file, edit, view, run);
    jobs.ifPresent(j -> bar.getMenus().add(remoteMenu(j)));
    return bar;
  }

  private Menu remoteMenu(JobsViewModel j) {
    Menu remote = new Menu("Re_mote");
    remote.setId("remote-menu");
    MenuItem submit = item("_Submit…", "Shortcut+Shift+U", j::submit);
    submit.setId("remote-submit");
    submit.disableProperty().bind(j.busyProperty());
    CheckMenuItem panel = new CheckMenuItem("_Jobs Panel");
    panel.setId("remote-jobs-panel");
    panel.setAccelerator(KeyCombination.keyCombination("Shortcut+J"));
    panel.selectedProperty().bindBidirectional(j.panelShownProperty());
    MenuItem fetch = item("_Fetch & Open", "Shortcut+Shift+F", j::fetchAndOpenSelected);
    fetch.setId("remote-fetch");
    fetch.disableProperty().bind(j.busyProperty());
    MenuItem cancel = item("_Cancel Job", "Shortcut+Shift+K", j::cancelSelected);
    cancel.setId("remote-cancel");
    MenuItem refresh = item("_Refresh Jobs", "Shortcut+R", j::refresh);
    remote.getItems().addAll(submit, new SeparatorMenuItem(), panel, refresh, fetch, cancel);
    return remote;
  }

  /** The Jobs tab, shown in the bottom panels while the view model says the panel is shown. */
  private void addJobsTab(JobsViewModel j) {
    JobsView view = new JobsView(j);
    jobsView = Optional.of(view);
    Tab t = new Tab("Jobs", view);
    t.setId("jobs-tab");
    t.setClosable(true);
    t.setOnClosed(e -> j.panelShownProperty().set(false));
    j.panelShownProperty()
        .addListener(
            (o, was, now) -> {
              if (now && !bottom.getTabs().contains(t)) {
                bottom.getTabs().add(t);
                bottom.getSelectionModel().select(t);
              } else if (!now) {
                bottom.getTabs().remove(t);
              }
            });
  }

  private static MenuItem item(String text, String accel, Runnable action) {
    MenuItem i = new MenuItem(text);
    i.setAccelerator(KeyCombination.keyCombination(accel));
    i.setOnAction(e -> action.run());
    return i;
  }

  private void layout() {
    vm.layout();
    canvas.fit();
  }

  private void run() {
    vm.run();
    showTab("Timeline");
  }

  private ToolBar toolbar() {
    Button open = button("Open", "Open a graph (Ctrl+O)", vm::open);
    Button save = button("Save", "Save (Ctrl+S)", vm::save);
    Button undo = button("Undo", "Undo (Ctrl+Z)", vm::undo);
    undo.disableProperty().bind(vm.canUndoProperty().not());
    Button redo = button("Redo", "Redo (Ctrl+Shift+Z)", vm::redo);
    redo.disableProperty().bind(vm.canRedoProperty().not());
    Button layout = button("Layout", "Automatic layout (Ctrl+L)", this::layout);
    Button fit = button("Fit", "Show the whole graph (Ctrl+0)", canvas::fit);
    Button group = button("Group", "Group the selection into a composite (Ctrl+G)", vm::group);
    ComboBox<RunnerChoice> runners = new ComboBox<>();
    runners.setId("runner-choice");
    runners.getItems().setAll(vm.runners());
    runners.valueProperty().bindBidirectional(vm.runnerProperty());
    runners.setTooltip(new Tooltip("The runner that executes the graph"));
    Button run = button("▶ Run", "Run the graph (F5)", this::run);
    run.setId("run-button");
    run.disableProperty().bind(vm.runningProperty());
    Button cancel = button("■ Cancel", "Stop the run", vm::cancel);
    cancel.setId("cancel-button");
    cancel.disableProperty().bind(vm.runningProperty().not());
    ProgressBar progress = new ProgressBar();
    progress.setId("run-progress");
    progress.progressProperty().bind(vm.progressProperty());
    progress.setPrefWidth(140);
    CheckBox overlay = new CheckBox("Timing overlay");
    overlay.setId("overlay-toggle");
    overlay.selectedProperty().bindBidirectional(vm.overlayVisibleProperty());
    return new ToolBar(
        open,
        save,
        new Separator(),
        undo,
        redo,
        new Separator(),
        layout,
        fit,
        group,
        new Separator(),
        new Label("Runner"),
        runners,
        run,
        cancel,
        progress,
        overlay);
  }

  private static Button button(String text, String tip, Runnable action) {
    Button b = new Button(text);
    b.setTooltip(new Tooltip(tip));
    b.setOnAction(e -> action.run());
    b.setFocusTraversable(false);
    return b;
  }

  private SplitPane rightSide() {
    PropertySheetView props = new PropertySheetView(vm);
    ScrollPane ps = new ScrollPane(props);
    ps.setFitToWidth(true);
    ListView<Diagnostic> problems = new ListView<>(vm.diagnostics());
    problems.setId("problems");
    problems.setPlaceholder(new Label("No problems: the graph validates."));
    problems.setCellFactory(
        lv ->
            new ListCell<>() {
              @Override
              protected void updateItem(Diagnostic d, boolean empty) {
                super.updateItem(d, empty);
                setText(empty || d == null ? null : d.toString());
                setWrapText(true);
                setPrefWidth(0);
                setTextFill(
                    empty || d == null || d.isError()
                        ? Color.web("#b71c1c")
                        : Color.web("#e65100"));
              }
            });
    problems
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, d) -> {
              if (d != null) {
                d.nodeId().ifPresent(vm::selectKey);
              }
            });
    Label title = new Label();
    title.textProperty().bind(Bindings.size(vm.diagnostics()).asString("Problems (%d)"));
    title.setStyle("-fx-font-weight: bold;");
    VBox pb = new VBox(4, title, problems);
    pb.setPadding(new Insets(6));
    VBox.setVgrow(problems, Priority.ALWAYS);
    SplitPane right = new SplitPane(ps, pb);
    right.setOrientation(Orientation.VERTICAL);
    right.setDividerPositions(0.6);
    return right;
  }

  private TabPane bottomTabs() {
    ScrollPane tl = new ScrollPane(timeline);
    tl.setFitToWidth(true);
    tl.setFitToHeight(true);
    TableView<NodeProfile> table = new TableView<>(vm.profile());
    table.setId("profile-table");
    table.setPlaceholder(new Label("Run the graph to see where the time goes."));
    table.getColumns().add(column("node", NodeProfile::nodeId));
    table.getColumns().add(column("op", NodeProfile::op));
    table.getColumns().add(number("calls", p -> p.calls(), "%.0f"));
    table.getColumns().add(number("total ms", p -> p.totalNanos() / 1e6, "%.3f"));
    table.getColumns().add(number("self ms", p -> p.selfNanos() / 1e6, "%.3f"));
    table.getColumns().add(number("mean ms", p -> p.meanNanos() / 1e6, "%.3f"));
    table.getColumns().add(number("max ms", p -> p.maxNanos() / 1e6, "%.3f"));
    table.getColumns().add(number("MB out", p -> p.bytesOut() / 1e6, "%.2f"));
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, p) -> {
              if (p != null) {
                vm.selectKey(p.nodeId());
              }
            });
    ListView<String> advice = new ListView<>(vm.advice());
    advice.setId("advice");
    advice.setPlaceholder(new Label("No advice: nothing stands out in the last run."));
    ScrollPane results = new ScrollPane(new ResultsView(vm));
    results.setFitToWidth(true);
    bottom
        .getTabs()
        .addAll(
            new Tab("Timeline", tl),
            new Tab("Profile", table),
            new Tab("Results", results),
            new Tab("Advice", advice));
    for (Tab t : bottom.getTabs()) {
      t.setClosable(false);
    }
    bottom.setTabClosingPolicy(TabPane.TabClosingPolicy.SELECTED_TAB);
    return bottom;
  }

  /** A numeric column: sorts by value, shows the value formatted. */
  private static <T> TableColumn<T, Number> number(
      String name, java.util.function.Function<T, Number> f, String format) {
    TableColumn<T, Number> c = new TableColumn<>(name);
    c.setCellValueFactory(
        cd -> new javafx.beans.property.ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
    c.setCellFactory(
        col ->
            new javafx.scene.control.TableCell<>() {
              @Override
              protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(
                    empty || v == null
                        ? null
                        : String.format(java.util.Locale.ROOT, format, v.doubleValue()));
                setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
              }
            });
    c.setPrefWidth(90);
    return c;
  }

  private static <T> TableColumn<T, String> column(
      String name, java.util.function.Function<T, String> f) {
    TableColumn<T, String> c = new TableColumn<>(name);
    c.setCellValueFactory(
        cd -> new javafx.beans.property.ReadOnlyStringWrapper(f.apply(cd.getValue())));
    c.setPrefWidth(name.equals("node") ? 160 : 90);
    return c;
  }

  private HBox statusBar() {
    Label msg = new Label();
    msg.setId("status-message");
    msg.textProperty().bind(vm.messageProperty());
    Label dirty = new Label();
    dirty.textProperty().bind(Bindings.when(vm.dirtyProperty()).then("● unsaved").otherwise(""));
    dirty.setTextFill(Color.web("#e65100"));
    HBox h = new HBox(16, msg, dirty);
    HBox.setHgrow(msg, Priority.ALWAYS);
    h.setPadding(new Insets(3, 8, 3, 8));
    h.setStyle("-fx-background-color: #eceff1;");
    return h;
  }
}
