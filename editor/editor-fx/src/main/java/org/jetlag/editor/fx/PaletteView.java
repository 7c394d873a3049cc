package org.jetlag.editor.fx;

import java.util.function.BiPredicate;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import org.jetlag.editor.PaletteViewModel;

/**
 * The palette: a search box and the ops by category; drag an op onto the canvas to add it. The op's
 * one-line doc is its tooltip.
 */
public final class PaletteView extends VBox {
  private final PaletteViewModel vm;
  private final VBox groups = new VBox(2);
  private final Pane dragLayer;
  private final BiPredicate<String, double[]> dropTarget;
  private static final String HINT = "Drag ops onto the canvas";
  private final Label ghost = new Label();
  private final Label hint = new Label(HINT);

  /**
   * A palette whose drags show a ghost on {@code dragLayer} and end in {@code dropTarget} (given
   * the op and the scene point; true when accepted).
   */
  PaletteView(PaletteViewModel vm, Pane dragLayer, BiPredicate<String, double[]> dropTarget) {
    super(6);
    this.vm = vm;
    this.dragLayer = dragLayer;
    this.dropTarget = dropTarget;
    setId("palette");
    setPadding(new Insets(6));
    TextField search = new TextField();
    search.setId("palette-search");
    search.setPromptText("Search ops…");
    search.textProperty().bindBidirectional(vm.searchProperty());
    ScrollPane scroll = new ScrollPane(groups);
    scroll.setFitToWidth(true);
    VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
    getChildren().addAll(hint, search, scroll);
    ghost.setStyle(
        "-fx-background-color: #1e88e5cc; -fx-text-fill: white; -fx-padding: 4 10;"
            + " -fx-background-radius: 4;");
    ghost.setManaged(false);
    ghost.setMouseTransparent(true);
    ghost.setVisible(false);
    vm.entries().addListener((ListChangeListener<PaletteViewModel.Entry>) c -> rebuild());
    rebuild();
  }

  /** The drag ghost, to be added on top of the window. */
  Label ghost() {
    return ghost;
  }

  private void rebuild() {
    groups.getChildren().clear();
    boolean searching = !vm.searchProperty().get().isBlank();
    for (String cat : vm.categories()) {
      FlowPane items = new FlowPane(4, 4);
      items.setPadding(new Insets(4));
      for (PaletteViewModel.Entry e : vm.entries()) {
        if (e.category().equals(cat)) {
          items.getChildren().add(item(e));
        }
      }
      if (items.getChildren().isEmpty()) {
        continue;
      }
      TitledPane tp = new TitledPane(cat, items);
      tp.setExpanded(
          searching
              || cat.equals("graph")
              || cat.equals("math")
              || cat.equals("reduction")
              || cat.equals("arithmetic"));
      groups.getChildren().add(tp);
    }
  }

  private Label item(PaletteViewModel.Entry e) {
    Label l = new Label(e.op());
    l.setId("palette-" + e.op());
    l.getStyleClass().add("palette-item");
    l.setStyle(
        "-fx-background-color: #eceff1; -fx-border-color: #b0bec5; -fx-padding: 2 6;"
            + " -fx-background-radius: 3; -fx-border-radius: 3;");
    // the tooltip is made on first hover: the palette is rebuilt at each keystroke of a search
    l.setOnMouseEntered(
        ev -> {
          if (l.getTooltip() == null) {
            l.setTooltip(new Tooltip(e.doc()));
          }
        });
    l.setOnMousePressed(
        ev -> {
          ghost.setText(e.op());
          ev.consume();
        });
    l.setOnMouseDragged(
        ev -> {
          ghost.setVisible(true);
          javafx.geometry.Point2D p = dragLayer.sceneToLocal(ev.getSceneX(), ev.getSceneY());
          ghost.autosize();
          ghost.relocate(p.getX() + 8, p.getY() + 8);
          ev.consume();
        });
    l.setOnMouseReleased(
        ev -> {
          boolean wasDragging = ghost.isVisible();
          ghost.setVisible(false);
          if (wasDragging) {
            boolean dropped =
                dropTarget.test(e.op(), new double[] {ev.getSceneX(), ev.getSceneY()});
            hint.setText(dropped ? HINT : "Drop ops on the canvas to add them");
          }
          ev.consume();
        });
    return l;
  }
}
