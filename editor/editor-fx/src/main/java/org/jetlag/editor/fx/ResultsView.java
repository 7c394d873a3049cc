package org.jetlag.editor.fx;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.OutputPreview;
import org.jetlag.editor.fx.internal.Colors;

/**
 * A preview per output of the last run: dtype, shape, min/max/mean, a line chart for 1-D arrays and
 * a heatmap for 2-D ones.
 */
public final class ResultsView extends FlowPane {
  ResultsView(EditorViewModel vm) {
    super(12, 12);
    setId("results");
    setPadding(new Insets(8));
    vm.previews().addListener((ListChangeListener<OutputPreview>) c -> rebuild(vm));
    rebuild(vm);
  }

  private void rebuild(EditorViewModel vm) {
    getChildren().clear();
    if (vm.previews().isEmpty()) {
      getChildren().add(new Label("Run the graph to preview its outputs."));
    }
    for (OutputPreview p : vm.previews()) {
      VBox box = new VBox(4);
      box.setId("preview-" + p.name());
      box.setPadding(new Insets(6));
      box.setStyle("-fx-border-color: #cfd8dc; -fx-border-radius: 4;");
      Label title = new Label(p.name());
      title.setStyle("-fx-font-weight: bold;");
      box.getChildren().addAll(title, new Label(p.summary()));
      p.series().ifPresent(s -> box.getChildren().add(chart(s)));
      p.grid().ifPresent(g -> box.getChildren().add(heatmap(g, p.min(), p.max())));
      getChildren().add(box);
    }
  }

  private static LineChart<Number, Number> chart(java.util.List<Double> values) {
    NumberAxis x = new NumberAxis();
    NumberAxis y = new NumberAxis();
    y.setForceZeroInRange(false);
    LineChart<Number, Number> c = new LineChart<>(x, y);
    c.setCreateSymbols(false);
    c.setLegendVisible(false);
    c.setAnimated(false);
    c.setPrefSize(320, 180);
    XYChart.Series<Number, Number> s = new XYChart.Series<>();
    for (int i = 0; i < values.size(); i++) {
      s.getData().add(new XYChart.Data<>(i, values.get(i)));
    }
    c.getData().add(s);
    return c;
  }

  private static ImageView heatmap(OutputPreview.Grid g, double min, double max) {
    // whole pixels per cell (no smoothing between cells, whatever the pipeline)
    int cell = (int) Math.max(1, Math.floor(Math.min(180.0 / g.rows(), 320.0 / g.cols())));
    WritableImage img = new WritableImage(g.cols() * cell, g.rows() * cell);
    PixelWriter w = img.getPixelWriter();
    double span = max > min ? max - min : 1;
    for (int r = 0; r < g.rows(); r++) {
      for (int c = 0; c < g.cols(); c++) {
        javafx.scene.paint.Color color = Colors.heat((g.at(r, c) - min) / span);
        for (int y = 0; y < cell; y++) {
          for (int x = 0; x < cell; x++) {
            w.setColor(c * cell + x, r * cell + y, color);
          }
        }
      }
    }
    ImageView v = new ImageView(img);
    v.setSmooth(false);
    return v;
  }
}
