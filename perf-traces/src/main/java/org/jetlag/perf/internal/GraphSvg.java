package org.jetlag.perf.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.Position;
import org.jetlag.perf.NodeProfile;

/**
 * Draws the top level of a graph as SVG, each node filled by its share of the task time and
 * labelled with id, op and time; loops and composites show their bodies' summed time.
 */
public final class GraphSvg {
  static final double W = 150;
  static final double H = 64;
  private static final double COL = 200;
  private static final double ROW = 90;
  private static final double PAD = 16;

  private GraphSvg() {}

  /**
   * Node positions (top-left corners): the editor's when every node has one, else a layered layout
   * by topological depth, rows in document order.
   */
  public static Map<String, Position> layout(Graph g) {
    Map<String, Position> out = new LinkedHashMap<>();
    boolean all = !g.nodes().isEmpty();
    for (Node n : g.nodes()) {
      all &= n.position().isPresent();
    }
    if (all) {
      for (Node n : g.nodes()) {
        out.putIfAbsent(n.id(), n.position().orElseThrow());
      }
      return out;
    }
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      depth.putIfAbsent(n.id(), 0);
    }
    // Longest path from a source; at most one pass per node, so a cycle cannot loop forever.
    for (int pass = 0; pass < depth.size(); pass++) {
      boolean changed = false;
      for (Edge e : g.edges()) {
        Integer a = depth.get(e.from().node());
        Integer b = depth.get(e.to().node());
        if (a != null && b != null && b < a + 1 && !e.from().node().equals(e.to().node())) {
          depth.put(e.to().node(), a + 1);
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    Map<Integer, Integer> rows = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> d : depth.entrySet()) {
      int row = rows.merge(d.getValue(), 1, Integer::sum) - 1;
      out.put(d.getKey(), new Position(d.getValue() * COL, row * ROW));
    }
    return out;
  }

  /** The SVG element. */
  public static String render(Graph g, TraceFacts f) {
    Map<String, Position> pos = layout(g);
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (Position p : pos.values()) {
      minX = Math.min(minX, p.x());
      minY = Math.min(minY, p.y());
      maxX = Math.max(maxX, p.x() + W);
      maxY = Math.max(maxY, p.y() + H);
    }
    if (pos.isEmpty()) {
      minX = minY = 0;
      maxX = W;
      maxY = H;
    }
    double ox = PAD - minX;
    double oy = PAD - minY;
    double width = maxX - minX + 2 * PAD;
    double height = maxY - minY + 2 * PAD;
    long maxNanos = 1;
    Map<String, Long> time = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      long t = f.inclusiveNanos(n.id());
      time.putIfAbsent(n.id(), t);
      maxNanos = Math.max(maxNanos, t);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg id=\"graph\" class=\"graph\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\""
                + " role=\"img\" aria-label=\"graph\" xmlns=\"http://www.w3.org/2000/svg\">\n",
            width,
            height,
            width));
    sb.append(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\""
            + " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
            + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#7a869a\"/></marker></defs>\n");
    Set<String> drawn = new LinkedHashSet<>();
    sb.append("<g class=\"edges\">\n");
    for (Edge e : g.edges()) {
      Position a = pos.get(e.from().node());
      Position b = pos.get(e.to().node());
      if (a == null || b == null || !drawn.add(e.from().node() + "\u0000" + e.to().node())) {
        continue;
      }
      double x1 = a.x() + ox + W;
      double y1 = a.y() + oy + H / 2;
      double x2 = b.x() + ox;
      double y2 = b.y() + oy + H / 2;
      double c = Math.max(40, Math.abs(x2 - x1) / 2);
      sb.append(
          String.format(
              Locale.ROOT,
              "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" marker-end=\"url(#arrow)\">"
                  + "<title>%s</title></path>\n",
              x1,
              y1,
              x1 + c,
              y1,
              x2 - c,
              y2,
              x2 - 1,
              y2,
              Html.escape(e.toString())));
    }
    sb.append("</g>\n<g class=\"nodes\">\n");
    Set<String> seen = new LinkedHashSet<>();
    for (Node n : g.nodes()) {
      if (!seen.add(n.id())) {
        continue;
      }
      Position p = pos.get(n.id());
      double x = p.x() + ox;
      double y = p.y() + oy;
      long t = time.get(n.id());
      Optional<NodeProfile> prof = f.trace().node(n.id());
      boolean container = TraceFacts.isContainer(n.op());
      boolean ran = prof.isPresent() || t > 0;
      double heat = Colors.heatPosition(t, maxNanos);
      String fill = ran ? Colors.heat(heat) : "#f1f3f5";
      String text = ran && Colors.darkHeat(heat) ? "#fff" : "#1f2933";
      sb.append("<g class=\"node")
          .append(container ? " container" : "")
          .append(ran ? "" : " idle")
          .append("\" data-node=\"")
          .append(Html.escape(n.id()))
          .append(String.format(Locale.ROOT, "\" transform=\"translate(%.1f,%.1f)\">", x, y));
      sb.append("<title>").append(Html.escape(tooltip(n, t, prof, f))).append("</title>");
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect width=\"%.0f\" height=\"%.0f\" rx=\"7\" fill=\"%s\"/>",
              W,
              H,
              fill));
      if (container) {
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"inner\" x=\"3\" y=\"3\" width=\"%.0f\" height=\"%.0f\" rx=\"5\"/>",
                W - 6,
                H - 6));
      }
      sb.append("<text x=\"10\" y=\"21\" class=\"id\" fill=\"")
          .append(text)
          .append("\">")
          .append(Html.escape(Format.clip(n.id(), 16)))
          .append("</text>");
      String op = n.op();
      if (container) {
        long bodies =
            f.trace().nodes().stream().filter(b -> b.nodeId().startsWith(n.id() + "/")).count();
        op = op + " · " + bodies + " nodes";
      }
      sb.append("<text x=\"10\" y=\"38\" class=\"op\" fill=\"")
          .append(text)
          .append("\">")
          .append(Html.escape(Format.clip(op, 20)))
          .append("</text>");
      String ms = ran ? Format.nanos(t) + " · " + Format.percent(f.share(t)) : "no tasks";
      sb.append("<text x=\"10\" y=\"55\" class=\"ms\" fill=\"")
          .append(text)
          .append("\">")
          .append(Html.escape(ms))
          .append("</text></g>\n");
    }
    sb.append("</g>\n</svg>");
    return sb.toString();
  }

  private static String tooltip(Node n, long t, Optional<NodeProfile> prof, TraceFacts f) {
    StringBuilder sb = new StringBuilder();
    sb.append(n.id()).append(" (").append(n.op()).append(")\n");
    sb.append("time ").append(Format.nanos(t)).append(", ").append(Format.percent(f.share(t)));
    sb.append(" of all task time");
    if (prof.isPresent() && !TraceFacts.isContainer(n.op())) {
      NodeProfile p = prof.get();
      sb.append("\n")
          .append(p.calls())
          .append(" tasks, median ")
          .append(Format.nanos(p.medianNanos()));
    }
    if (TraceFacts.isContainer(n.op())) {
      prof.ifPresent(p -> sb.append("\n").append(p.calls()).append(" runs of the body"));
      List<NodeProfile> body = new ArrayList<>();
      for (NodeProfile b : f.trace().nodes()) {
        if (b.nodeId().startsWith(n.id() + "/")) {
          body.add(b);
        }
      }
      body.sort(
          Comparator.comparingLong(NodeProfile::selfNanos)
              .reversed()
              .thenComparing(NodeProfile::nodeId));
      sb.append("\nbody nodes by time:");
      for (NodeProfile b : body) {
        sb.append("\n  ")
            .append(b.nodeId().substring(n.id().length() + 1))
            .append(" (")
            .append(b.op())
            .append(")  ")
            .append(Format.nanos(b.selfNanos()))
            .append("  ")
            .append(Format.percent(f.share(b.selfNanos())));
      }
    }
    return sb.toString();
  }
}
