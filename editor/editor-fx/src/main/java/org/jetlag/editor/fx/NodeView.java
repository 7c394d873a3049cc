package org.jetlag.editor.fx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import org.jetlag.editor.NodeGeometry;
import org.jetlag.editor.NodeStatus;
import org.jetlag.editor.PortTypes;
import org.jetlag.editor.TimingOverlay;
import org.jetlag.editor.fx.internal.Colors;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;

/**
 * One node on the canvas: a box titled with its id and op, input ports on the left and output ports
 * on the right (hover for dtype and shape), and when a run is shown a heat bar with its time.
 */
public final class NodeView extends Region {
  /** Radius of a port circle. */
  static final double PORT_RADIUS = 6;

  private final Node node;
  private final Rectangle box = new Rectangle();
  private final Rectangle heatBar = new Rectangle();
  private final Text timing = text("", TIMING_FONT, Color.web("#263238"));
  private final Label problem = new Label("!");
  private final List<PortView> inputs = new ArrayList<>();
  private final List<PortView> outputs = new ArrayList<>();
  private final NodeGeometry geometry;

  /** A port circle and what it connects. */
  static final class PortView extends Circle {
    final PortRef ref;
    final boolean input;

    PortView(PortRef ref, boolean input) {
      super(PORT_RADIUS);
      this.ref = ref;
      this.input = input;
      getStyleClass().add("port");
      setId("port-" + ref.node() + "-" + ref.port());
      setFill(Color.WHITE);
      setStroke(Color.web("#37474f"));
      setStrokeWidth(1.5);
    }
  }

  /**
   * What hovering shows that depends on the rest of the graph, asked for at hover time.
   *
   * @param inputType the type arriving at an input port, or a note that none does
   * @param problems the problems and run failure of a node, one per line
   */
  record Hover(
      java.util.function.Function<PortRef, String> inputType,
      java.util.function.Function<String, String> problems) {}

  NodeView(Node node, PortTypes types, Hover hover) {
    this.node = node;
    setId("node-" + node.id());
    getStyleClass().add("node-view");
    List<String> ins = types.inputs(node.id());
    List<String> outs = types.outputs(node.id());
    geometry = NodeGeometry.of(node, ins.size(), outs.size());
    double w = geometry.width();
    double h = geometry.height();
    setPrefSize(w, h);
    setMinSize(w, h);
    setMaxSize(w, h);
    relocate(geometry.x(), geometry.y());

    box.setWidth(w);
    box.setHeight(h);
    box.setArcWidth(12);
    box.setArcHeight(12);
    box.setFill(Color.WHITE);
    box.setStrokeWidth(1.5);
    getChildren().add(box);

    Optional<OpSpec> spec = Ops.byName(node.op());
    String label =
        node.op().equals("input") || node.op().equals("output")
            ? String.valueOf(node.params().get("name"))
            : node.op().equals("composite") && node.params().get("label") instanceof String
                ? (String) node.params().get("label")
                : node.id();
    // Text rather than Label, and tooltips made on first hover: a 500-node graph draws in a
    // fraction of the time (no skin, CSS pass or popup window per label).
    Text title = text(clip(label, 20), TITLE_FONT, Color.web("#263238"));
    title.relocate(10, 6);
    title.setMouseTransparent(false);
    Text op =
        text(
            node.op() + (node.body().isPresent() ? "  ▸ open" : ""),
            SMALL_FONT,
            Color.web("#607d8b"));
    op.relocate(10, 24);
    getChildren().addAll(title, op);
    lazyTooltip(
        title, () -> node.id() + " (" + node.op() + ")" + spec.map(s -> "\n" + s.doc()).orElse(""));

    for (int i = 0; i < ins.size(); i++) {
      PortRef ref = new PortRef(node.id(), ins.get(i));
      PortView p = new PortView(ref, true);
      p.setCenterX(0);
      p.setCenterY(NodeGeometry.portY(i));
      Text l = text(ins.get(i), PORT_FONT, Color.web("#455a64"));
      l.relocate(PORT_RADIUS + 3, NodeGeometry.portY(i) - 7);
      inputs.add(p);
      getChildren().addAll(l, p);
      String in = ins.get(i);
      lazyTooltip(p, () -> in + ": " + hover.inputType().apply(ref) + "\n" + inputDoc(spec, in));
    }
    for (int i = 0; i < outs.size(); i++) {
      PortRef ref = new PortRef(node.id(), outs.get(i));
      PortView p = new PortView(ref, false);
      p.setCenterX(w);
      p.setCenterY(NodeGeometry.portY(i));
      String type = types.output(ref).map(Object::toString).orElse("?");
      Text l = text(clip(type, 24), PORT_FONT, Color.web("#00695c"));
      l.relocate(w - PORT_RADIUS - 4 - l.getLayoutBounds().getWidth(), NodeGeometry.portY(i) - 7);
      outputs.add(p);
      getChildren().addAll(l, p);
      String out = outs.get(i);
      lazyTooltip(p, () -> out + ": " + type);
    }

    heatBar.setHeight(4);
    heatBar.setY(h - 5);
    heatBar.setX(2);
    heatBar.setVisible(false);
    timing.getStyleClass().add("timing-label");
    timing.setVisible(false);
    timing.relocate(0, h + 2);
    problem.setId("problem-" + node.id());
    problem.setOnMouseEntered(
        e -> {
          Tooltip t = new Tooltip(hover.problems().apply(node.id()));
          t.setShowDelay(javafx.util.Duration.millis(100));
          Tooltip.install(problem, t);
        });
    problem.setTextFill(Color.WHITE);
    problem.setFont(Font.font("System", FontWeight.BOLD, 11));
    problem.setStyle("-fx-background-color: #e53935; -fx-background-radius: 8; -fx-padding: 0 5;");
    problem.relocate(w - 18, -8);
    problem.setVisible(false);
    getChildren().addAll(heatBar, timing, problem);
    setPickOnBounds(false);
  }

  private static final Font TITLE_FONT = Font.font("System", FontWeight.BOLD, 13);
  private static final Font SMALL_FONT = Font.font("System", 11);
  private static final Font PORT_FONT = Font.font("System", 10.5);
  private static final Font TIMING_FONT = Font.font("System", FontWeight.BOLD, 11);

  private static Text text(String s, Font f, Color c) {
    Text t = new Text(s);
    t.setFont(f);
    t.setFill(c);
    t.setTextOrigin(javafx.geometry.VPos.TOP);
    t.setMouseTransparent(true);
    return t;
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** Installs a tooltip the first time the pointer enters {@code n}. */
  private static void lazyTooltip(javafx.scene.Node n, java.util.function.Supplier<String> text) {
    n.setOnMouseEntered(
        e -> {
          if (n.getProperties().get("tooltip") == null) {
            Tooltip t = new Tooltip(text.get());
            t.setShowDelay(javafx.util.Duration.millis(300));
            Tooltip.install(n, t);
            n.getProperties().put("tooltip", t);
          }
        });
  }

  private static String inputDoc(Optional<OpSpec> spec, String port) {
    String base = port.contains(".") ? port.substring(0, port.indexOf('.')) : port;
    return spec.flatMap(s -> s.inputs().stream().filter(p -> p.name().equals(base)).findFirst())
        .map(p -> p.doc())
        .orElse("input");
  }

  /** The node drawn. */
  public Node node() {
    return node;
  }

  /** The box of the node. */
  Rectangle box() {
    return box;
  }

  List<PortView> inputPorts() {
    return inputs;
  }

  List<PortView> outputPorts() {
    return outputs;
  }

  /** The centre of a port in the parent's (canvas content) coordinates. */
  Optional<Point2D> portCenter(PortRef ref, boolean input) {
    for (PortView p : input ? inputs : outputs) {
      if (p.ref.equals(ref)) {
        return Optional.of(
            new Point2D(
                getLayoutX() + getTranslateX() + p.getCenterX(),
                getLayoutY() + getTranslateY() + p.getCenterY()));
      }
    }
    return Optional.empty();
  }

  /** Redraws the state: selection, problem mark, run status, timing. */
  void show(
      boolean selected,
      boolean hasProblem,
      NodeStatus status,
      Optional<String> failure,
      Optional<TimingOverlay.NodeTiming> time) {
    Color border = status == NodeStatus.IDLE ? Color.web("#90a4ae") : Colors.status(status);
    box.setStroke(selected ? Color.web("#1565c0") : border);
    box.setStrokeWidth(selected ? 3 : status == NodeStatus.IDLE ? 1.5 : 2.5);
    box.getStrokeDashArray().setAll(status == NodeStatus.QUEUED ? List.of(5.0, 4.0) : List.of());
    problem.setVisible(hasProblem || failure.isPresent());
    if (time.isPresent()) {
      TimingOverlay.NodeTiming t = time.get();
      Color heat = Colors.heat(t.heat());
      box.setFill(heat.interpolate(Color.WHITE, 0.55));
      heatBar.setFill(heat);
      heatBar.setWidth(Math.max(2, (geometry.width() - 4) * t.share()));
      heatBar.setVisible(true);
      timing.setText(t.label());
      timing.setVisible(true);
    } else {
      box.setFill(status == NodeStatus.RUNNING ? Color.web("#e3f2fd") : Color.WHITE);
      heatBar.setVisible(false);
      timing.setVisible(false);
    }
  }

  /** The timing text shown under the node (for tests). */
  Text timingLabel() {
    return timing;
  }
}
