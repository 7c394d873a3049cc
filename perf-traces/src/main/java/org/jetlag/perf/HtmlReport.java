package org.jetlag.perf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.jetlag.perf.internal.Colors;
import org.jetlag.perf.internal.Format;
import org.jetlag.perf.internal.GraphSvg;
import org.jetlag.perf.internal.Html;
import org.jetlag.perf.internal.TraceFacts;

/**
 * A one-file HTML report of a trace: the run's summary and advice, the graph coloured by time, a
 * timeline of every task per worker thread, utilisation and memory over time, a table of the
 * costliest nodes and their task-duration histograms.
 *
 * <p>The file is self-contained (inline CSS, JavaScript and SVG; no network access) and the same
 * trace always renders to the same text. Every name from the trace is escaped. The timeline is
 * drawn into a canvas from compact column arrays, so 100,000 spans make a file of a few megabytes
 * that opens quickly.
 */
public final class HtmlReport {
  /** Rows of the table of nodes. */
  static final int TABLE_ROWS = 15;

  /** Nodes that get a duration histogram. */
  static final int HISTOGRAMS = 6;

  /** Time buckets of the utilisation strip. */
  static final int UTIL_BUCKETS = 600;

  /** Colour of container spans (loop iterations) in the timeline. */
  private static final String CONTAINER = "#cbd2d9";

  private HtmlReport() {}

  /** Writes the report to a file atomically (a temporary file, then a rename). */
  public static void write(Trace t, Path file) {
    String html = render(t);
    AtomicFiles.write(file, w -> w.write(html));
  }

  /** The report as one HTML document. */
  public static String render(Trace t) {
    TraceFacts f = new TraceFacts(t);
    RunInfo i = t.info();
    Map<String, String> colors = nodeColors(f);
    StringBuilder sb = new StringBuilder(64 * 1024 + 30 * t.spans().size());
    String title = "JetLag report: " + i.graphName();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(Html.escape(title))
        .append("</title>\n<style>\n")
        .append(resource("report.css"))
        .append("</style>\n</head>\n<body>\n");
    header(sb, f);
    summary(sb, f);
    advice(sb, t);
    sb.append("<section class=\"card\" id=\"graph-section\"><h2>Graph</h2>")
        .append(
            "<p class=\"hint\">Each box is a node, filled by its share of all task time; loops"
                + " and composites show the summed time of their bodies (hover for the list)."
                + " Click a node to find its tasks in the timeline.</p>\n")
        .append("<div class=\"graph-wrap\">")
        .append(GraphSvg.render(t.graph(), f))
        .append("</div>\n");
    heatLegend(sb, f);
    sb.append("</section>\n");
    timeline(sb, f);
    sb.append("<div class=\"two\">\n");
    table(sb, f, colors);
    histograms(sb, f, colors);
    sb.append("</div>\n");
    sb.append("<footer>")
        .append(
            Html.escape(
                "JetLag "
                    + i.jetlagVersion()
                    + " · graph hash "
                    + i.graphHash()
                    + " · open the Chrome export (jetlag trace --chrome) in ui.perfetto.dev for"
                    + " a zoomable timeline"))
        .append("</footer>\n");
    sb.append("<div id=\"tip\" class=\"tip\" hidden></div>\n");
    sb.append("<script type=\"application/json\" id=\"data\">");
    data(sb, f, colors);
    sb.append("</script>\n<script>\n").append(resource("report.js")).append("</script>\n");
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  private static void header(StringBuilder sb, TraceFacts f) {
    RunInfo i = f.trace().info();
    String date =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .format(Instant.ofEpochMilli(i.startEpochMillis()).atOffset(ZoneOffset.UTC));
    sb.append("<header><h1>")
        .append(Html.escape(i.graphName()))
        .append(" <span class=\"sub\">run report</span></h1>\n<p class=\"meta\">");
    meta(sb, "runner", i.runner());
    meta(sb, "threads", Integer.toString(i.threads()));
    meta(sb, "wall time", Format.micros(i.wallMicros()));
    meta(sb, "started", date);
    meta(sb, "JetLag", i.jetlagVersion());
    sb.append("</p>\n");
    String d = f.trace().graph().description();
    if (!d.isEmpty()) {
      sb.append("<p class=\"desc\">").append(Html.escape(d)).append("</p>\n");
    }
    sb.append("</header>\n");
  }

  private static void meta(StringBuilder sb, String k, String v) {
    sb.append("<span><b>")
        .append(Html.escape(k))
        .append("</b> ")
        .append(Html.escape(v))
        .append("</span>");
  }

  private static void summary(StringBuilder sb, TraceFacts f) {
    Trace t = f.trace();
    double wall = t.info().wallMicros();
    double busy = 0;
    for (TraceFacts.Lane l : f.taskLanes()) {
      busy += l.busyMicros();
    }
    int threads = Math.max(1, Math.max(t.info().threads(), f.taskLanes().size()));
    sb.append("<section class=\"cards\">");
    card(sb, "wall time", Format.micros(wall), "start to finish");
    card(
        sb,
        "task time",
        Format.nanos(f.taskNanos()),
        String.format(
            Locale.ROOT, "%.1f× the wall time", wall > 0 ? f.taskNanos() / 1e3 / wall : 0));
    card(
        sb,
        "threads busy",
        wall > 0 && !f.taskLanes().isEmpty() ? Format.percent(busy / (wall * threads)) : "–",
        "of " + threads + " × wall time");
    OptionalDouble peak = f.peak(TraceFacts.LIVE_BYTES);
    long in = f.inputBytes();
    card(
        sb,
        "peak memory",
        peak.isPresent() ? Format.bytes(peak.getAsDouble()) : "–",
        in > 0
            ? String.format(
                Locale.ROOT,
                "input %s%s",
                Format.bytes(in),
                peak.isPresent()
                    ? String.format(Locale.ROOT, " (%.1f×)", peak.getAsDouble() / in)
                    : "")
            : "live array bytes");
    card(
        sb,
        "tasks",
        Format.count(f.tasks().size() + t.droppedSpans()),
        t.droppedSpans() > 0
            ? Format.count(t.droppedSpans()) + " spans dropped"
            : f.medianSpanMicros().isPresent()
                ? "median " + Format.micros(f.medianSpanMicros().getAsDouble())
                : "no spans");
    card(sb, "nodes", Integer.toString(t.nodes().size()), "that ran tasks or loops");
    sb.append("</section>\n");
  }

  private static void card(StringBuilder sb, String label, String value, String note) {
    sb.append("<div class=\"stat\"><div class=\"label\">")
        .append(Html.escape(label))
        .append("</div><div class=\"value\">")
        .append(Html.escape(value))
        .append("</div><div class=\"note\">")
        .append(Html.escape(note))
        .append("</div></div>");
  }

  private static void advice(StringBuilder sb, Trace t) {
    List<String> lines = Advice.of(t);
    sb.append("<section class=\"card advice\" id=\"advice\"><h2>Advice</h2>");
    if (lines.isEmpty()) {
      sb.append(
          "<p class=\"ok\">Nothing stands out: tasks are large enough, no node dominates, the"
              + " workers stayed busy and memory stayed near the input size.</p>");
    } else {
      sb.append("<ul>");
      for (String l : lines) {
        sb.append("<li>").append(Html.escape(l)).append("</li>");
      }
      sb.append("</ul>");
    }
    sb.append("</section>\n");
  }

  private static void heatLegend(StringBuilder sb, TraceFacts f) {
    long max = 0;
    for (org.jetlag.graph.Node n : f.trace().graph().nodes()) {
      max = Math.max(max, f.inclusiveNanos(n.id()));
    }
    sb.append("<div class=\"legend heat\"><span>share of task time (square-root scale)</span>")
        .append(
            "<span class=\"scale\"><span class=\"ramp\" style=\"background:linear-gradient(90deg");
    for (int k = 0; k <= 8; k++) {
      sb.append(',').append(Colors.heat(k / 8.0));
    }
    sb.append(")\"></span><span class=\"ticks\">");
    for (int k = 0; k <= 4; k++) {
      double p = k / 4.0;
      sb.append(String.format(Locale.ROOT, "<span style=\"left:%.0f%%\">", 100 * p))
          .append(Html.escape(Format.percent(f.share(Math.round(max * p * p)))))
          .append("</span>");
    }
    sb.append("</span></span><span class=\"idle-key\">no tasks</span></div>\n");
  }

  private static void timeline(StringBuilder sb, TraceFacts f) {
    Trace t = f.trace();
    sb.append("<section class=\"card\" id=\"timeline-section\"><h2>Timeline</h2>")
        .append(
            "<p class=\"hint\">One lane per worker thread; each bar is a task, coloured by its"
                + " node. Hover for details, click a bar to select its node, drag to zoom,"
                + " double-click to zoom out.</p>\n");
    if (t.spans().isEmpty()) {
      sb.append(
          "<p class=\"empty\">No spans were recorded"
              + (t.droppedSpans() > 0 ? " (all were dropped)" : "")
              + ".</p>");
    }
    if (!t.phases().isEmpty()) {
      sb.append(
          "<p class=\"hint\">The top lane is the client: preparing the run, submitting and"
              + " waiting for each engine job, collecting the outputs. Time there without tasks"
              + " below is the engine's own work.</p>\n");
    }
    sb.append("<div class=\"tl\"><canvas id=\"phases\" class=\"strip\"></canvas>")
        .append("<canvas id=\"timeline\"></canvas>")
        .append("<canvas id=\"util\" class=\"strip\"></canvas>")
        .append("<canvas id=\"mem\" class=\"strip\"></canvas></div>\n")
        .append("<div id=\"node-legend\" class=\"legend nodes\"></div>\n</section>\n");
  }

  private static void table(StringBuilder sb, TraceFacts f, Map<String, String> colors) {
    List<NodeProfile> nodes = f.workNodesByTime();
    sb.append("<section class=\"card\" id=\"table-section\"><h2>Costliest nodes</h2>")
        .append("<table id=\"nodes\"><thead><tr><th>node</th><th>op</th><th class=\"n\">time</th>")
        .append("<th class=\"n\">share</th><th class=\"n\">tasks</th>")
        .append("<th class=\"n\">median task</th></tr></thead><tbody>\n");
    int rows = Math.min(TABLE_ROWS, nodes.size());
    for (int k = 0; k < rows; k++) {
      NodeProfile n = nodes.get(k);
      double share = f.share(n.totalNanos());
      sb.append("<tr data-node=\"")
          .append(Html.escape(n.nodeId()))
          .append("\"><td><span class=\"sw\" style=\"background:")
          .append(colors.getOrDefault(n.nodeId(), Colors.OTHER))
          .append("\"></span>")
          .append(Html.escape(n.nodeId()))
          .append("</td><td>")
          .append(Html.escape(n.op()))
          .append("</td><td class=\"n\">")
          .append(Html.escape(Format.nanos(n.totalNanos())))
          .append(
              String.format(
                  Locale.ROOT,
                  "</td><td class=\"n share\"><span class=\"bar\" style=\"width:%.1f%%\"></span>",
                  100 * share))
          .append(Html.escape(Format.percent(share)))
          .append("</td><td class=\"n\">")
          .append(Format.count(n.calls()))
          .append("</td><td class=\"n\">")
          .append(Html.escape(Format.nanos(n.medianNanos())))
          .append("</td></tr>\n");
    }
    sb.append("</tbody></table>");
    if (nodes.size() > rows) {
      sb.append("<p class=\"hint\">")
          .append(nodes.size() - rows)
          .append(" more nodes in the CSV profile (jetlag run --profile).</p>");
    }
    sb.append("</section>\n");
  }

  private static void histograms(StringBuilder sb, TraceFacts f, Map<String, String> colors) {
    List<NodeProfile> nodes = f.workNodesByTime();
    Map<String, double[]> durations = f.shareDurations();
    sb.append("<section class=\"card\" id=\"hist-section\"><h2>Task durations</h2>")
        .append(
            "<p class=\"hint\">Tasks per duration (log scale) for the costliest nodes; the line"
                + " marks the median. A wide spread means uneven chunks or waiting.</p>")
        .append("<div class=\"hists\">");
    int drawn = 0;
    for (NodeProfile n : nodes) {
      double[] d = durations.get(n.nodeId());
      if (drawn >= HISTOGRAMS || d == null || d.length == 0) {
        continue;
      }
      drawn++;
      histogram(sb, n, d.clone(), colors.getOrDefault(n.nodeId(), Colors.OTHER));
    }
    if (drawn == 0) {
      sb.append("<p class=\"empty\">No spans were recorded.</p>");
    }
    sb.append("</div></section>\n");
  }

  private static void histogram(StringBuilder sb, NodeProfile n, double[] d, String color) {
    Arrays.sort(d);
    int bins = 24;
    double lo = Math.log10(Math.max(0.1, d[0]));
    double hi = Math.log10(Math.max(0.1, d[d.length - 1]));
    if (hi - lo < 0.5) {
      double mid = (hi + lo) / 2;
      lo = mid - 0.25;
      hi = mid + 0.25;
    }
    int[] count = new int[bins];
    for (double v : d) {
      int b = (int) ((Math.log10(Math.max(0.1, v)) - lo) / (hi - lo) * bins);
      count[Math.max(0, Math.min(bins - 1, b))]++;
    }
    int max = Arrays.stream(count).max().orElse(1);
    double w = 200;
    double h = 60;
    double median = d[d.length / 2];
    double mx = (Math.log10(Math.max(0.1, median)) - lo) / (hi - lo) * w;
    sb.append("<figure class=\"hist\" data-node=\"")
        .append(Html.escape(n.nodeId()))
        .append("\"><figcaption><span class=\"sw\" style=\"background:")
        .append(color)
        .append("\"></span>")
        .append(Html.escape(Format.clip(n.nodeId(), 26)))
        .append(" <small>")
        .append(Format.count(d.length))
        .append(" tasks · median ")
        .append(Html.escape(Format.micros(median)))
        .append("</small></figcaption>")
        .append(
            String.format(
                Locale.ROOT,
                "<svg viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"none\">",
                w,
                h + 14));
    for (int b = 0; b < bins; b++) {
      if (count[b] == 0) {
        continue;
      }
      double bh = Math.max(1.5, h * count[b] / max);
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%d"
                  + " tasks</title></rect>",
              b * w / bins + 0.5,
              h - bh,
              w / bins - 1,
              bh,
              color,
              count[b]));
    }
    sb.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" class=\"median\"/>",
                mx,
                mx,
                h))
        .append(
            String.format(
                Locale.ROOT,
                "<line x1=\"0\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" class=\"axis\"/>",
                w,
                h,
                h))
        .append(
            String.format(
                Locale.ROOT,
                "<text x=\"0\" y=\"%.0f\">%s</text><text x=\"%.0f\" y=\"%.0f\""
                    + " text-anchor=\"end\">%s</text>",
                h + 12,
                Html.escape(Format.micros(Math.pow(10, lo))),
                w,
                h + 12,
                Html.escape(Format.micros(Math.pow(10, hi)))))
        .append("</svg></figure>");
  }

  /** Colours: the most expensive work nodes get the palette, in order; the rest share grey. */
  private static Map<String, String> nodeColors(TraceFacts f) {
    Map<String, String> m = new LinkedHashMap<>();
    int rank = 0;
    for (NodeProfile n : f.workNodesByTime()) {
      m.put(n.nodeId(), Colors.node(rank++));
    }
    for (Span s : f.trace().spans()) {
      for (String id : s.fused()) {
        m.putIfAbsent(id, Colors.OTHER);
      }
      if (TraceFacts.isTask(s)) {
        m.putIfAbsent(s.nodeId(), Colors.OTHER);
      }
    }
    return m;
  }

  /** The timeline's data as compact JSON: column arrays of spans, times in microseconds. */
  private static void data(StringBuilder sb, TraceFacts f, Map<String, String> colors) {
    Trace t = f.trace();
    Map<String, Integer> nodeIndex = new LinkedHashMap<>();
    List<String> nodeIds = new ArrayList<>();
    Map<List<String>, Integer> kinds = new LinkedHashMap<>();
    List<List<String>> kindList = new ArrayList<>();
    int[] kindOf = new int[t.spans().size()];
    for (int k = 0; k < kindOf.length; k++) {
      Span s = t.spans().get(k);
      List<String> key = new ArrayList<>();
      key.add(s.nodeId());
      key.add(s.op());
      key.addAll(s.fused());
      Integer ki = kinds.get(key);
      if (ki == null) {
        ki = kindList.size();
        kinds.put(key, ki);
        kindList.add(key);
        for (String id : key.subList(2, key.size())) {
          index(id, nodeIndex, nodeIds);
        }
        index(s.nodeId(), nodeIndex, nodeIds);
      }
      kindOf[k] = ki;
    }
    sb.append("{\"wall\":");
    num(sb, t.info().wallMicros());
    sb.append(",\"threads\":").append(t.info().threads());
    boolean oneWorker = f.lanes().stream().map(TraceFacts.Lane::worker).distinct().count() <= 1;
    sb.append(",\"lanes\":[");
    for (int k = 0; k < f.lanes().size(); k++) {
      sb.append(k == 0 ? "" : ",");
      Html.jsonString(sb, f.lanes().get(k).label(oneWorker));
    }
    sb.append("],\"nodes\":[");
    for (int k = 0; k < nodeIds.size(); k++) {
      sb.append(k == 0 ? "[" : ",[");
      Html.jsonString(sb, nodeIds.get(k));
      sb.append(',');
      Html.jsonString(sb, colors.getOrDefault(nodeIds.get(k), CONTAINER));
      sb.append(']');
    }
    sb.append("],\"kinds\":[");
    for (int k = 0; k < kindList.size(); k++) {
      List<String> key = kindList.get(k);
      sb.append(k == 0 ? "[" : ",[").append(nodeIndex.get(key.get(0))).append(',');
      Html.jsonString(sb, key.get(1));
      for (String id : key.subList(2, key.size())) {
        sb.append(',').append(nodeIndex.get(id));
      }
      sb.append(']');
    }
    sb.append("],\n\"s\":[");
    for (int k = 0; k < kindOf.length; k++) {
      if (k > 0) {
        sb.append(',');
      }
      num(sb, t.spans().get(k).start());
    }
    sb.append("],\n\"d\":[");
    for (int k = 0; k < kindOf.length; k++) {
      if (k > 0) {
        sb.append(',');
      }
      num(sb, t.spans().get(k).duration());
    }
    sb.append("],\n\"k\":[");
    for (int k = 0; k < kindOf.length; k++) {
      sb.append(k == 0 ? "" : ",").append(kindOf[k]);
    }
    sb.append("],\n\"l\":[");
    for (int k = 0; k < kindOf.length; k++) {
      sb.append(k == 0 ? "" : ",").append(f.lane(t.spans().get(k)));
    }
    sb.append("],\n\"c\":[");
    for (int k = 0; k < kindOf.length; k++) {
      sb.append(k == 0 ? "" : ",").append(t.spans().get(k).chunk());
    }
    sb.append("],\n\"util\":[");
    double[] util = utilisation(f);
    for (int k = 0; k < util.length; k++) {
      sb.append(k == 0 ? "" : ",");
      sb.append(Math.round(util[k] * 1000) / 1000.0);
    }
    sb.append("],\n\"mem\":[");
    boolean first = true;
    for (CounterSample c : t.counters()) {
      if (c.name().equals(TraceFacts.LIVE_BYTES)) {
        sb.append(first ? "" : ",");
        num(sb, c.time());
        sb.append(',').append(Math.round(c.value()));
        first = false;
      }
    }
    sb.append("],\n\"phases\":[");
    for (int k = 0; k < t.phases().size(); k++) {
      Phase ph = t.phases().get(k);
      sb.append(k == 0 ? "[" : ",[");
      Html.jsonString(sb, ph.name());
      sb.append(',');
      num(sb, ph.start());
      sb.append(',');
      num(sb, ph.end());
      sb.append(']');
    }
    sb.append("]}");
  }

  private static void index(String id, Map<String, Integer> index, List<String> ids) {
    if (!index.containsKey(id)) {
      index.put(id, ids.size());
      ids.add(id);
    }
  }

  /**
   * Busy fraction of the threads in equal time buckets: from the spans when there are any (exact
   * overlap), else from the {@code tasks_running} counter.
   */
  static double[] utilisation(TraceFacts f) {
    Trace t = f.trace();
    double wall = t.info().wallMicros();
    int threads = Math.max(1, Math.max(t.info().threads(), f.taskLanes().size()));
    double[] u = new double[UTIL_BUCKETS];
    if (wall <= 0) {
      return u;
    }
    double bw = wall / UTIL_BUCKETS;
    List<Span> tasks = f.tasks();
    if (!tasks.isEmpty()) {
      for (Span s : tasks) {
        double a = Math.max(0, s.start());
        double b = Math.min(wall, s.end());
        int i = (int) Math.min(UTIL_BUCKETS - 1, Math.floor(a / bw));
        while (a < b && i < UTIL_BUCKETS) {
          double edge = Math.min(b, (i + 1) * bw);
          u[i] += edge - a;
          a = edge;
          i++;
        }
      }
      for (int i = 0; i < u.length; i++) {
        u[i] = Math.min(1, u[i] / (bw * threads));
      }
      return u;
    }
    for (CounterSample c : t.counters()) {
      if (c.name().equals(TraceFacts.TASKS_RUNNING)) {
        int i = (int) Math.max(0, Math.min(UTIL_BUCKETS - 1, c.time() / bw));
        u[i] = Math.max(u[i], Math.min(1, c.value() / threads));
      }
    }
    return u;
  }

  /** A time in microseconds with at most one decimal, no exponent. */
  private static void num(StringBuilder sb, double v) {
    long tenths = Math.round(v * 10);
    if (tenths < 0) {
      sb.append('-');
      tenths = -tenths;
    }
    sb.append(tenths / 10);
    if (tenths % 10 != 0) {
      sb.append('.').append(tenths % 10);
    }
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream("report/" + name)) {
      if (in == null) {
        throw new IllegalStateException("report resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
