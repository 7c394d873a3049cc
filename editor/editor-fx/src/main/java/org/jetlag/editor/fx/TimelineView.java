package org.jetlag.editor.fx;

import java.util.Optional;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;
import org.jetlag.editor.Document;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.Timeline;
import org.jetlag.editor.fx.internal.Colors;

/**
 * The timeline panel: one lane per worker thread, a bar per task coloured by node. Hover shows a
 * bar's details; a click selects its node on the canvas; the selected nodes' bars are outlined.
 * Drawn on one canvas, so a hundred thousand bars cost one pass per redraw.
 */
public final class TimelineView extends Pane {
  static final double LANE_H = 22;
  static final double TOP = 24;
  static final double LEFT = 170;

  private final EditorViewModel vm;
  private final Canvas canvas = new Canvas();
  private final Tooltip tip = new Tooltip();
  // the visible time window in µs; end <= start means the whole run
  private double viewStart;
  private double viewEnd;
  private double pressX = Double.NaN;
  private boolean panned;

  TimelineView(EditorViewModel vm) {
    this.vm = vm;
    setId("timeline");
    setMinHeight(60);
    getChildren().add(canvas);
    tip.setShowDelay(Duration.millis(100));
    Tooltip.install(canvas, tip);
    canvas.widthProperty().bind(widthProperty());
    canvas.heightProperty().bind(heightProperty());
    canvas.widthProperty().addListener(o -> draw());
    canvas.heightProperty().addListener(o -> draw());
    vm.timelineProperty()
        .addListener(
            (o, a, b) -> {
              setPrefHeight(TOP + b.map(t -> t.lanes().size()).orElse(1) * LANE_H + 24);
              viewStart = 0;
              viewEnd = 0;
              draw();
            });
    vm.documentProperty().addListener((o, a, b) -> draw());
    canvas.setOnMouseMoved(
        e -> {
          Optional<Timeline.Bar> b = barAt(e);
          tip.setText(b.map(Timeline.Bar::describe).orElse(""));
          if (b.isEmpty()) {
            tip.hide();
          }
        });
    canvas.setOnMouseClicked(
        e -> {
          if (e.getClickCount() == 2) {
            viewStart = 0;
            viewEnd = 0;
            draw();
          } else if (!panned) {
            barAt(e)
                .filter(b -> !b.op().equals(Timeline.PHASE_OP))
                .ifPresent(b -> vm.selectKey(b.key()));
          }
        });
    // the wheel zooms around the pointer; dragging pans; a double click shows the whole run
    canvas.setOnScroll(
        e -> {
          vm.timelineProperty()
              .get()
              .ifPresent(
                  t -> {
                    double at = timeAt(t, e.getX());
                    double f = Math.exp(-e.getDeltaY() / 300);
                    double start = at - (at - start(t)) * f;
                    double end = at + (end(t) - at) * f;
                    setWindow(t, start, end);
                  });
          e.consume();
        });
    canvas.setOnMousePressed(
        e -> {
          pressX = e.getX();
          panned = false;
        });
    canvas.setOnMouseDragged(
        e -> {
          Optional<Timeline> t = vm.timelineProperty().get();
          if (t.isEmpty() || Double.isNaN(pressX)) {
            return;
          }
          double dt = (e.getX() - pressX) / scale(t.get());
          if (Math.abs(e.getX() - pressX) > 3 || panned) {
            panned = true;
            pressX = e.getX();
            setWindow(t.get(), start(t.get()) - dt, end(t.get()) - dt);
          }
        });
  }

  private double start(Timeline t) {
    return viewEnd > viewStart ? viewStart : 0;
  }

  private double end(Timeline t) {
    return viewEnd > viewStart ? viewEnd : Math.max(1, t.endMicros());
  }

  private void setWindow(Timeline t, double start, double end) {
    double total = Math.max(1, t.endMicros());
    double width = Math.max(1, Math.min(total, end - start)); // at most the run, at least 1 µs
    double s0 = Math.max(0, Math.min(start, total - width));
    viewStart = s0;
    viewEnd = s0 + width;
    draw();
  }

  private double timeAt(Timeline t, double x) {
    return start(t) + (x - LEFT) / scale(t);
  }

  private Optional<Timeline.Bar> barAt(MouseEvent e) {
    Optional<Timeline> t = vm.timelineProperty().get();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    int lane = (int) Math.floor((e.getY() - TOP) / LANE_H);
    double scale = scale(t.get());
    return t.get().barAt(lane, timeAt(t.get(), e.getX()), 2 / scale);
  }

  private double scale(Timeline t) {
    return Math.max(1e-9, (getWidth() - LEFT - 10) / (end(t) - start(t)));
  }

  /** The screen point of a bar's middle (for tests). */
  Optional<javafx.geometry.Point2D> barCenter(String key) {
    Optional<Timeline> t = vm.timelineProperty().get();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    double s = scale(t.get());
    for (int i = 0; i < t.get().lanes().size(); i++) {
      for (Timeline.Bar b : t.get().lanes().get(i).bars()) {
        if (b.key().equals(key)) {
          return Optional.of(
              canvas.localToScreen(
                  LEFT + ((b.start() + b.end()) / 2 - start(t.get())) * s,
                  TOP + i * LANE_H + LANE_H / 2));
        }
      }
    }
    return Optional.empty();
  }

  private void draw() {
    GraphicsContext g = canvas.getGraphicsContext2D();
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    g.setFill(Color.WHITE);
    g.fillRect(0, 0, w, h);
    Optional<Timeline> ot = vm.timelineProperty().get();
    g.setFont(Font.font(11));
    g.setTextBaseline(VPos.CENTER);
    if (ot.isEmpty()) {
      g.setFill(Color.web("#78909c"));
      g.fillText("Run the graph (F5) or open a trace to see its timeline here.", 12, 16);
      return;
    }
    Timeline t = ot.get();
    double s = scale(t);
    Document d = vm.document();
    java.util.Set<String> selected = new java.util.HashSet<>();
    d.selection().forEach(id -> selected.add(d.traceKey(id)));
    // time axis
    g.setStroke(Color.web("#cfd8dc"));
    g.setFill(Color.web("#546e7a"));
    double t0 = start(t);
    double t1 = end(t);
    double step = niceStep((t1 - t0) / 8);
    g.setTextAlign(TextAlignment.CENTER);
    for (double x = Math.ceil(t0 / step) * step; x <= t1; x += step) {
      double px = LEFT + (x - t0) * s;
      g.strokeLine(px, TOP - 4, px, h);
      g.fillText(millis(x), px, TOP / 2);
    }
    g.setTextAlign(TextAlignment.LEFT);
    for (int i = 0; i < t.lanes().size(); i++) {
      Timeline.Lane lane = t.lanes().get(i);
      double y = TOP + i * LANE_H;
      if (y > h) {
        break;
      }
      g.setFill(i % 2 == 0 ? Color.web("#fafafa") : Color.web("#f1f4f5"));
      g.fillRect(0, y, w, LANE_H);
      g.setFill(Color.web("#37474f"));
      g.fillText(lane.name(), 6, y + LANE_H / 2, LEFT - 12);
      double lastPx = -1;
      for (int k = 0; k < lane.bars().size(); k++) {
        Timeline.Bar b = lane.bars().get(k);
        if (b.end() < t0) {
          continue;
        }
        if (b.start() > t1) {
          break; // bars are sorted by start
        }
        double x0 = Math.max(LEFT, LEFT + (b.start() - t0) * s);
        double x1 = Math.max(x0 + 1, LEFT + (b.end() - t0) * s);
        if (x1 <= lastPx) {
          continue; // sub-pixel bars under one already drawn
        }
        g.setFill(
            lane.client() ? Color.web(k % 2 == 0 ? "#9fb3c8" : "#bcccdc") : Colors.ofKey(b.key()));
        g.fillRect(x0, y + 3, x1 - x0, LANE_H - 6);
        if (!lane.client() && selected.contains(b.key())) {
          g.setStroke(Color.web("#0d47a1"));
          g.setLineWidth(2);
          g.strokeRect(x0, y + 2, x1 - x0, LANE_H - 4);
          g.setLineWidth(1);
        }
        if (x1 - x0 > 40) {
          g.setFill(Color.web("#263238"));
          g.fillText(b.key(), x0 + 3, y + LANE_H / 2, x1 - x0 - 6);
        }
        lastPx = Math.floor(x1);
      }
    }
    if (t.droppedSpans() > 0) {
      g.setFill(Color.web("#bf360c"));
      g.fillText(t.droppedSpans() + " tasks not kept in the trace", LEFT, h - 10);
    }
  }

  private static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String millis(double micros) {
    return micros >= 1000
        ? String.format(java.util.Locale.ROOT, "%.0f ms", micros / 1000)
        : String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000);
  }
}
