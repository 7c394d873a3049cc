package org.jetlag.editor.fx.internal;

import javafx.scene.paint.Color;
import org.jetlag.editor.NodeStatus;

/** The editor's colours: heat for timing, status while running, one colour per node id. */
public final class Colors {
  private static final Color[] HEAT = {
    Color.web("#fff7bc"),
    Color.web("#fec44f"),
    Color.web("#fe9929"),
    Color.web("#d95f0e"),
    Color.web("#993404")
  };

  private Colors() {}

  /** The heat colour of a value from 0 (cool) to 1 (hot). */
  public static Color heat(double t) {
    double x = Math.max(0, Math.min(1, t)) * (HEAT.length - 1);
    int i = (int) Math.floor(x);
    if (i >= HEAT.length - 1) {
      return HEAT[HEAT.length - 1];
    }
    return HEAT[i].interpolate(HEAT[i + 1], x - i);
  }

  /** The border colour of a node in a run state. */
  public static Color status(NodeStatus s) {
    switch (s) {
      case QUEUED:
        return Color.web("#9e9e9e");
      case RUNNING:
        return Color.web("#1e88e5");
      case DONE:
        return Color.web("#43a047");
      case FAILED:
        return Color.web("#e53935");
      case IDLE:
        return Color.web("#546e7a");
    }
    throw new IllegalArgumentException("unknown status " + s);
  }

  /** A stable, distinct colour for a node id (timeline bars). */
  public static Color ofKey(String key) {
    int h = key.hashCode();
    double hue = Math.floorMod(h * 137, 360);
    return Color.hsb(hue, 0.55, 0.85);
  }
}
