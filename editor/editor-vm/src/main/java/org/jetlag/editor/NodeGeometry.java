package org.jetlag.editor;

import org.jetlag.graph.Node;
import org.jetlag.graph.Position;

/**
 * The size of a node's box on the canvas, shared by the views, box selection and automatic layout
 * so that all three agree.
 *
 * @param x left edge
 * @param y top edge
 * @param width box width
 * @param height box height
 */
public record NodeGeometry(double x, double y, double width, double height) {
  /** Box width in canvas units. */
  public static final double WIDTH = 170;

  /** Height of the title area. */
  public static final double HEADER = 44;

  /** Vertical distance between ports. */
  public static final double PORT_GAP = 20;

  /** The box of a node with that many input and output ports. */
  public static NodeGeometry of(Node n, int inputs, int outputs) {
    Position p = n.position().orElse(new Position(0, 0));
    return new NodeGeometry(
        p.x(), p.y(), WIDTH, HEADER + PORT_GAP * Math.max(1, Math.max(inputs, outputs)) + 6);
  }

  /** The y of the i-th port's centre, relative to the box top. */
  public static double portY(int i) {
    return HEADER + PORT_GAP * i + PORT_GAP / 2;
  }

  /** True when this box and the rectangle between the two corners overlap. */
  public boolean intersects(double x0, double y0, double x1, double y1) {
    double lx = Math.min(x0, x1);
    double hx = Math.max(x0, x1);
    double ly = Math.min(y0, y1);
    double hy = Math.max(y0, y1);
    return x < hx && x + width > lx && y < hy && y + height > ly;
  }
}
