package org.jetlag.editor.fx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;
import javafx.scene.shape.CubicCurve;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;
import org.jetlag.editor.Connections;
import org.jetlag.editor.Document;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.NodeGeometry;
import org.jetlag.editor.NodeStatus;
import org.jetlag.editor.PortTypes;
import org.jetlag.editor.TimingOverlay;
import org.jetlag.editor.fx.internal.Colors;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Position;

/**
 * The graph canvas: nodes and edges of the current scope, with zoom, pan, selection, moving,
 * connecting ports and the timing overlay. Gestures become view-model calls; the canvas redraws
 * from the view model's document.
 */
public final class GraphCanvas extends Region {
  private static final double HIT = 14;

  private final EditorViewModel vm;
  private final Pane world = new Pane();
  private final Group edgeLayer = new Group();
  private final Group nodeLayer = new Group();
  private final Group dragLayer = new Group();
  private final Translate pan = new Translate(0, 0);
  private final Scale zoom = new Scale(1, 1, 0, 0);
  private final Rectangle rubber = new Rectangle();
  private final Label breadcrumb = new Label();
  private final Label toast = new Label();
  private final VBox legend = new VBox(3);
  private final Map<String, NodeView> views = new LinkedHashMap<>();
  private final Map<String, Object> signatures = new HashMap<>();
  private final Map<CubicCurve, Edge> edges = new LinkedHashMap<>();
  private Optional<Edge> selectedEdge = Optional.empty();
  private final NodeView.Hover hover;

  // gesture state
  private Point2D pressScene;
  private boolean dragged;
  private Point2D panStart;
  private Optional<Connections> connecting = Optional.empty();
  private CubicCurve connectCurve;
  private Optional<NodeView.PortView> hoverPort = Optional.empty();

  GraphCanvas(EditorViewModel vm) {
    this.vm = vm;
    this.hover = new NodeView.Hover(this::inputTypeText, this::problemText);
    setId("graph-canvas");
    setFocusTraversable(true);
    setBackground(new Background(new BackgroundFill(Color.web("#f5f7f8"), null, null)));
    setMinSize(200, 200);
    Rectangle clip = new Rectangle();
    clip.widthProperty().bind(widthProperty());
    clip.heightProperty().bind(heightProperty());
    setClip(clip);

    world.setManaged(false);
    world.setPickOnBounds(false);
    world.getTransforms().setAll(pan, zoom);
    world.getChildren().addAll(edgeLayer, nodeLayer, dragLayer);

    rubber.setManaged(false);
    rubber.setFill(Color.web("#1e88e5", 0.12));
    rubber.setStroke(Color.web("#1e88e5"));
    rubber.setVisible(false);
    rubber.setMouseTransparent(true);

    breadcrumb.setManaged(false);
    breadcrumb.setPadding(new Insets(4, 10, 4, 10));
    breadcrumb.setStyle(
        "-fx-background-color: #263238cc; -fx-text-fill: white; -fx-background-radius: 4;");
    breadcrumb.relocate(10, 10);
    breadcrumb.setOnMouseClicked(e -> vm.closeBody());

    toast.setId("canvas-toast");
    toast.setManaged(false);
    toast.setWrapText(true);
    toast.setMaxWidth(420);
    toast.setPadding(new Insets(6, 10, 6, 10));
    toast.setStyle(
        "-fx-background-color: #b71c1ce6; -fx-text-fill: white; -fx-background-radius: 4;");
    toast.setVisible(false);
    toast.setMouseTransparent(true);

    legend.setId("overlay-legend");
    legend.setManaged(false);
    legend.setPadding(new Insets(8));
    legend.setStyle(
        "-fx-background-color: #ffffffee; -fx-border-color: #b0bec5; -fx-background-radius: 4;"
            + " -fx-border-radius: 4;");
    legend.setMouseTransparent(true);

    getChildren().addAll(world, rubber, breadcrumb, toast, legend);

    addEventHandler(MouseEvent.MOUSE_PRESSED, this::backgroundPressed);
    addEventHandler(MouseEvent.MOUSE_DRAGGED, this::backgroundDragged);
    addEventHandler(MouseEvent.MOUSE_RELEASED, this::backgroundReleased);
    addEventHandler(ScrollEvent.SCROLL, this::scrolled);
    setOnKeyPressed(
        e -> {
          if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
            if (selectedEdge.isPresent()) {
              vm.disconnect(selectedEdge.get());
              selectedEdge = Optional.empty();
            } else {
              vm.deleteSelection();
            }
            e.consume();
          } else if (e.getCode() == KeyCode.ESCAPE) {
            vm.closeBody();
            e.consume();
          }
        });

    vm.documentProperty().addListener((o, a, b) -> refresh());
    vm.statuses()
        .addListener(
            (javafx.collections.MapChangeListener<String, NodeStatus>)
                c -> {
                  if (!statesPending) {
                    statesPending = true;
                    javafx.application.Platform.runLater(this::updateStates);
                  }
                });
    vm.overlayProperty().addListener((o, a, b) -> updateStates());
    vm.overlayVisibleProperty().addListener((o, a, b) -> updateStates());
    vm.problemKeys()
        .addListener((javafx.collections.SetChangeListener<String>) c -> updateStates());
    vm.failures()
        .addListener((javafx.collections.MapChangeListener<String, String>) c -> updateStates());
    refresh();
  }

  private boolean statesPending;

  private void statesLater() {
    if (!statesPending) {
      statesPending = true;
      javafx.application.Platform.runLater(this::updateStates);
    }
  }

  @Override
  protected void layoutChildren() {
    legend.autosize();
    legend.relocate(getWidth() - legend.getWidth() - 12, getHeight() - legend.getHeight() - 12);
    breadcrumb.autosize();
    toast.autosize();
    toast.relocate(12, getHeight() - toast.getHeight() - 12);
  }

  // ------------------------------------------------------------------ drawing

  private void refresh() {
    toast.setVisible(false);
    Document d = vm.document();
    Graph g = d.current();
    PortTypes pt = vm.portTypesProperty().get();
    Map<String, NodeView> next = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      if (next.containsKey(n.id())) {
        continue;
      }
      Object sig = signature(n, pt);
      NodeView v = views.get(n.id());
      if (v == null || !sig.equals(signatures.get(n.id()))) {
        v = new NodeView(n, pt, hover);
        wire(v);
        signatures.put(n.id(), sig);
      }
      next.put(n.id(), v);
    }
    signatures.keySet().retainAll(next.keySet());
    views.clear();
    views.putAll(next);
    nodeLayer.getChildren().setAll(views.values());
    if (selectedEdge.isPresent() && !g.edges().contains(selectedEdge.get())) {
      selectedEdge = Optional.empty();
    }
    redrawEdges();
    breadcrumb.setVisible(!d.scope().isEmpty());
    breadcrumb.setText(
        d.root().name() + " ▸ " + String.join(" ▸ ", d.scope()) + "   (click or Esc to go up)");
    updateStates();
  }

  private static Object signature(Node n, PortTypes pt) {
    List<Object> s = new ArrayList<>();
    s.add(n);
    s.add(pt.inputs(n.id()));
    for (String o : pt.outputs(n.id())) {
      s.add(o + "=" + pt.output(new PortRef(n.id(), o)).map(Object::toString).orElse("?"));
    }
    return s;
  }

  private void redrawEdges() {
    edges.clear();
    List<javafx.scene.Node> curves = new ArrayList<>();
    for (Edge e : vm.document().current().edges()) {
      NodeView a = views.get(e.from().node());
      NodeView b = views.get(e.to().node());
      if (a == null || b == null) {
        continue;
      }
      Optional<Point2D> p = a.portCenter(e.from(), false);
      Optional<Point2D> q = b.portCenter(e.to(), true);
      if (p.isEmpty() || q.isEmpty()) {
        continue;
      }
      CubicCurve c = curve(p.get(), q.get());
      boolean sel = selectedEdge.map(e::equals).orElse(false);
      c.setStroke(sel ? Color.web("#1565c0") : Color.web("#78909c"));
      c.setStrokeWidth(sel ? 3 : 2);
      c.setMouseTransparent(true);
      // an invisible wide curve under the drawn one makes the edge easy to click
      CubicCurve hit = curve(p.get(), q.get());
      hit.setStroke(Color.TRANSPARENT);
      hit.setStrokeWidth(10);
      hit.setId(
          "edge-"
              + e.from().node()
              + "-"
              + e.from().port()
              + "-"
              + e.to().node()
              + "-"
              + e.to().port());
      curves.add(hit);
      hit.setOnMouseClicked(
          ev -> {
            selectedEdge = Optional.of(e);
            requestFocus();
            redrawEdges();
            ev.consume();
          });
      hit.setOnMousePressed(MouseEvent::consume);
      edges.put(c, e);
      curves.add(c);
    }
    edgeLayer.getChildren().setAll(curves);
  }

  private static CubicCurve curve(Point2D p, Point2D q) {
    double dx = Math.max(40, Math.abs(q.getX() - p.getX()) / 2);
    CubicCurve c =
        new CubicCurve(
            p.getX(),
            p.getY(),
            p.getX() + dx,
            p.getY(),
            q.getX() - dx,
            q.getY(),
            q.getX(),
            q.getY());
    c.setFill(null);
    c.setPickOnBounds(false);
    return c;
  }

  private void updateStates() {
    statesPending = false;
    Document d = vm.document();
    Optional<TimingOverlay> ov =
        vm.overlayVisibleProperty().get() ? vm.overlayProperty().get() : Optional.empty();
    for (NodeView v : views.values()) {
      String id = v.node().id();
      String key = d.traceKey(id);
      v.show(
          d.isSelected(id),
          vm.problemKeys().contains(key),
          vm.statuses().getOrDefault(key, NodeStatus.IDLE),
          Optional.ofNullable(vm.failures().get(key)),
          ov.flatMap(o -> o.node(key)));
    }
    updateLegend(ov);
  }

  private void updateLegend(Optional<TimingOverlay> ov) {
    legend.getChildren().clear();
    legend.setVisible(ov.isPresent());
    if (ov.isEmpty()) {
      return;
    }
    TimingOverlay o = ov.get();
    double max = o.nodes().values().stream().mapToDouble(t -> t.share()).max().orElse(0);
    Label title = new Label("Time per node (share of busy time)");
    title.setStyle("-fx-font-weight: bold;");
    Region bar = new Region();
    bar.setPrefSize(200, 12);
    List<Stop> stops = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      stops.add(new Stop(i / 4.0, Colors.heat(i / 4.0)));
    }
    bar.setBackground(
        new Background(
            new BackgroundFill(
                new LinearGradient(0, 0, 1, 0, true, CycleMethod.NO_CYCLE, stops), null, null)));
    HBox ends = new HBox();
    Label lo = new Label("0%");
    Region spring = new Region();
    HBox.setHgrow(spring, javafx.scene.layout.Priority.ALWAYS);
    Label hi = new Label(String.format(java.util.Locale.ROOT, "%.0f%%", max * 100));
    ends.getChildren().addAll(lo, spring, hi);
    ends.setPrefWidth(200);
    Label wall =
        new Label(
            String.format(
                java.util.Locale.ROOT,
                "wall %.1f ms · busy %.1f ms",
                o.wallMillis(),
                o.busyNanos() / 1e6));
    legend.getChildren().addAll(title, bar, ends, wall);
    requestLayout();
  }

  private String inputTypeText(PortRef port) {
    return vm.document().current().edgesInto(port.node()).stream()
        .filter(e -> e.to().equals(port))
        .findFirst()
        .map(
            e ->
                vm.portTypesProperty().get().output(e.from()).map(Object::toString).orElse("?")
                    + " from "
                    + e.from())
        .orElse("not connected");
  }

  private String problemText(String id) {
    String key = vm.document().traceKey(id);
    StringBuilder sb = new StringBuilder();
    Optional.ofNullable(vm.failures().get(key)).ifPresent(f -> sb.append("run failed: ").append(f));
    vm.diagnostics().stream()
        .filter(d -> d.nodeId().map(n -> n.equals(key) || n.startsWith(key + "/")).orElse(false))
        .forEach(d -> sb.append(sb.length() > 0 ? "\n" : "").append(d));
    return sb.toString();
  }

  private ContextMenu menuFor(NodeView v) {
    String id = v.node().id();
    MenuItem open = new MenuItem("Open body");
    open.setDisable(v.node().body().isEmpty());
    open.setOnAction(e -> vm.openBody(id));
    MenuItem dup = new MenuItem("Duplicate");
    dup.setOnAction(e -> vm.duplicate());
    MenuItem group = new MenuItem("Group into composite");
    group.setOnAction(e -> vm.group());
    MenuItem delete = new MenuItem("Delete");
    delete.setOnAction(e -> vm.deleteSelection());
    return new ContextMenu(open, dup, group, delete);
  }

  // ------------------------------------------------------------------ node gestures

  private void wire(NodeView v) {
    v.setOnContextMenuRequested(
        e -> {
          if (!vm.document().isSelected(v.node().id())) {
            vm.select(List.of(v.node().id()));
          }
          menuFor(v).show(v, e.getScreenX(), e.getScreenY());
          e.consume();
        });
    v.setOnMousePressed(
        e -> {
          requestFocus();
          if (e.getButton() != MouseButton.PRIMARY) {
            return;
          }
          String id = v.node().id();
          if (e.isShiftDown() || e.isShortcutDown()) {
            vm.toggleSelect(id);
          } else if (!vm.document().isSelected(id)) {
            vm.select(List.of(id));
          }
          selectedEdge = Optional.empty();
          pressScene = new Point2D(e.getSceneX(), e.getSceneY());
          dragged = false;
          e.consume();
        });
    v.setOnMouseDragged(
        e -> {
          if (pressScene == null || e.getButton() != MouseButton.PRIMARY) {
            return;
          }
          double dx = (e.getSceneX() - pressScene.getX()) / zoom.getX();
          double dy = (e.getSceneY() - pressScene.getY()) / zoom.getY();
          dragged = dragged || Math.abs(dx) + Math.abs(dy) > 2;
          for (String id : vm.document().selection()) {
            NodeView s = views.get(id);
            if (s != null) {
              s.setTranslateX(dx);
              s.setTranslateY(dy);
            }
          }
          redrawEdges();
          e.consume();
        });
    v.setOnMouseReleased(
        e -> {
          if (pressScene == null) {
            return;
          }
          double dx = (e.getSceneX() - pressScene.getX()) / zoom.getX();
          double dy = (e.getSceneY() - pressScene.getY()) / zoom.getY();
          pressScene = null;
          for (NodeView s : views.values()) {
            s.setTranslateX(0);
            s.setTranslateY(0);
          }
          if (dragged) {
            vm.moveSelection(Math.rint(dx), Math.rint(dy));
          } else {
            redrawEdges();
          }
          e.consume();
        });
    v.setOnMouseClicked(
        e -> {
          if (e.getClickCount() == 2 && v.node().body().isPresent()) {
            vm.openBody(v.node().id());
          }
          e.consume();
        });
    for (NodeView.PortView p : v.outputPorts()) {
      p.setOnMousePressed(
          e -> {
            startConnection(p, e);
            e.consume();
          });
      p.setOnMouseDragged(
          e -> {
            dragConnection(e);
            e.consume();
          });
      p.setOnMouseReleased(
          e -> {
            endConnection();
            e.consume();
          });
    }
    for (NodeView.PortView p : v.inputPorts()) {
      p.setOnMousePressed(MouseEvent::consume);
    }
  }

  private void startConnection(NodeView.PortView from, MouseEvent e) {
    Connections c = vm.beginConnection(from.ref);
    connecting = Optional.of(c);
    // each check runs one type rule: every input port is marked at once
    for (NodeView v : views.values()) {
      for (NodeView.PortView p : v.inputPorts()) {
        boolean ok = c.check(p.ref).ok();
        p.setFill(ok ? Color.web("#a5d6a7") : Color.web("#eceff1"));
        p.setStroke(ok ? Color.web("#2e7d32") : Color.web("#b0bec5"));
      }
    }
    Point2D start = views.get(from.ref.node()).portCenter(from.ref, false).orElseThrow();
    connectCurve = curve(start, start);
    connectCurve.setStroke(Color.web("#1e88e5"));
    connectCurve.setStrokeWidth(2);
    connectCurve.getStrokeDashArray().setAll(6.0, 4.0);
    connectCurve.setMouseTransparent(true);
    dragLayer.getChildren().setAll(connectCurve);
    toast.setVisible(false);
  }

  private void dragConnection(MouseEvent e) {
    if (connecting.isEmpty()) {
      return;
    }
    Point2D at = world.sceneToLocal(e.getSceneX(), e.getSceneY());
    Optional<NodeView.PortView> target = inputPortAt(at);
    hoverPort.ifPresent(p -> p.setRadius(NodeView.PORT_RADIUS));
    hoverPort = target;
    Point2D end = at;
    if (target.isPresent()) {
      NodeView.PortView p = target.get();
      p.setRadius(NodeView.PORT_RADIUS + 3);
      end = views.get(p.ref.node()).portCenter(p.ref, true).orElse(at);
      Connections.Verdict v = connecting.get().check(p.ref);
      connectCurve.setStroke(v.ok() ? Color.web("#2e7d32") : Color.web("#e53935"));
    } else {
      connectCurve.setStroke(Color.web("#1e88e5"));
    }
    double dx = Math.max(40, Math.abs(end.getX() - connectCurve.getStartX()) / 2);
    connectCurve.setControlX1(connectCurve.getStartX() + dx);
    connectCurve.setControlX2(end.getX() - dx);
    connectCurve.setControlY2(end.getY());
    connectCurve.setEndX(end.getX());
    connectCurve.setEndY(end.getY());
  }

  private void endConnection() {
    if (connecting.isEmpty()) {
      return;
    }
    Connections c = connecting.get();
    connecting = Optional.empty();
    dragLayer.getChildren().clear();
    Optional<NodeView.PortView> target = hoverPort;
    hoverPort = Optional.empty();
    for (NodeView v : views.values()) {
      for (NodeView.PortView p : v.inputPorts()) {
        p.setFill(Color.WHITE);
        p.setStroke(Color.web("#37474f"));
        p.setRadius(NodeView.PORT_RADIUS);
      }
    }
    if (target.isPresent()) {
      Connections.Verdict v = vm.connect(c, target.get().ref);
      if (!v.ok()) {
        showToast("Cannot connect: " + v.reason());
      }
    }
  }

  private Optional<NodeView.PortView> inputPortAt(Point2D content) {
    NodeView.PortView best = null;
    double bestD = HIT / Math.min(1, zoom.getX());
    for (NodeView v : views.values()) {
      for (NodeView.PortView p : v.inputPorts()) {
        Point2D c = v.portCenter(p.ref, true).orElseThrow();
        double d = c.distance(content);
        if (d < bestD) {
          bestD = d;
          best = p;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Shows a message at the bottom of the canvas until the next gesture. */
  void showToast(String text) {
    toast.setText(text);
    toast.setVisible(true);
    requestLayout();
  }

  // ------------------------------------------------------------------ background gestures

  private void backgroundPressed(MouseEvent e) {
    requestFocus();
    toast.setVisible(false);
    pressScene = null;
    if (e.getButton() == MouseButton.PRIMARY && !e.isAltDown()) {
      Point2D p = sceneToLocal(e.getSceneX(), e.getSceneY());
      rubber.setX(p.getX());
      rubber.setY(p.getY());
      rubber.setWidth(0);
      rubber.setHeight(0);
      rubber.setVisible(true);
      rubberStart = p;
    } else {
      panStart = new Point2D(e.getSceneX() - pan.getX(), e.getSceneY() - pan.getY());
    }
  }

  private Point2D rubberStart;

  private void backgroundDragged(MouseEvent e) {
    if (rubberStart != null) {
      Point2D p = sceneToLocal(e.getSceneX(), e.getSceneY());
      rubber.setX(Math.min(p.getX(), rubberStart.getX()));
      rubber.setY(Math.min(p.getY(), rubberStart.getY()));
      rubber.setWidth(Math.abs(p.getX() - rubberStart.getX()));
      rubber.setHeight(Math.abs(p.getY() - rubberStart.getY()));
    } else if (panStart != null) {
      pan.setX(e.getSceneX() - panStart.getX());
      pan.setY(e.getSceneY() - panStart.getY());
    }
  }

  private void backgroundReleased(MouseEvent e) {
    if (rubberStart != null) {
      rubber.setVisible(false);
      Point2D a = world.parentToLocal(rubberStart);
      Point2D b = world.parentToLocal(sceneToLocal(e.getSceneX(), e.getSceneY()));
      rubberStart = null;
      if (a.distance(b) < 3) {
        selectedEdge = Optional.empty();
        vm.select(List.of());
        redrawEdges();
      } else {
        vm.selectBox(a.getX(), a.getY(), b.getX(), b.getY(), e.isShiftDown());
      }
    }
    panStart = null;
  }

  private void scrolled(ScrollEvent e) {
    double factor = Math.exp(e.getDeltaY() / 400);
    zoomAt(factor, sceneToLocal(e.getSceneX(), e.getSceneY()));
    e.consume();
  }

  /** Zooms by a factor keeping the canvas point {@code at} still. */
  void zoomAt(double factor, Point2D at) {
    double s = Math.max(0.1, Math.min(3, zoom.getX() * factor));
    double f = s / zoom.getX();
    pan.setX(at.getX() - (at.getX() - pan.getX()) * f);
    pan.setY(at.getY() - (at.getY() - pan.getY()) * f);
    zoom.setX(s);
    zoom.setY(s);
  }

  /** Zooms in or out around the centre. */
  void zoom(double factor) {
    zoomAt(factor, new Point2D(getWidth() / 2, getHeight() / 2));
  }

  /** Zooms and pans so that every node is visible. */
  void fit() {
    if (views.isEmpty()) {
      pan.setX(0);
      pan.setY(0);
      zoom.setX(1);
      zoom.setY(1);
      return;
    }
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (NodeView v : views.values()) {
      Bounds b = v.getBoundsInParent();
      x0 = Math.min(x0, b.getMinX());
      y0 = Math.min(y0, b.getMinY());
      x1 = Math.max(x1, b.getMaxX());
      y1 = Math.max(y1, b.getMaxY() + 16);
    }
    double w = Math.max(1, getWidth());
    double h = Math.max(1, getHeight());
    double s = Math.min(1.25, Math.min((w - 60) / (x1 - x0), (h - 60) / (y1 - y0)));
    s = Math.max(0.1, s);
    zoom.setX(s);
    zoom.setY(s);
    pan.setX((w - (x1 - x0) * s) / 2 - x0 * s);
    pan.setY((h - (y1 - y0) * s) / 2 - y0 * s);
  }

  /**
   * Adds a node of an op dropped at a scene point (from the palette), if the point is on the
   * canvas.
   *
   * @return true when dropped here
   */
  boolean drop(String op, double sceneX, double sceneY) {
    Point2D local = sceneToLocal(sceneX, sceneY);
    if (local == null || !getLayoutBounds().contains(local)) {
      return false;
    }
    Point2D c = world.parentToLocal(local);
    vm.addNode(op, new Position(c.getX() - NodeGeometry.WIDTH / 2, c.getY() - 16));
    requestFocus();
    return true;
  }

  /** The view of a node, if shown (for tests). */
  Optional<NodeView> view(String id) {
    return Optional.ofNullable(views.get(id));
  }

  /** The scene position of a port's centre (for tests and screenshots). */
  Optional<Point2D> portInScene(PortRef ref, boolean input) {
    NodeView v = views.get(ref.node());
    if (v == null) {
      return Optional.empty();
    }
    return v.portCenter(ref, input).map(world::localToScene);
  }

  /** The current zoom factor. */
  double scale() {
    return zoom.getX();
  }
}
