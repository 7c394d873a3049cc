package org.jetlag.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  @Test
  void drawsEveryTopLevelNodeTheTimelineTheTableAndTheAdvice() {
    Trace t = TraceGenerator.seeded(5).withTaskMicros(30).generate();
    String html = HtmlReport.render(t);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg id=\"graph\"");
    for (Node n : t.graph().nodes()) {
      assertThat(html).contains("class=\"node").contains("data-node=\"" + n.id() + "\"");
    }
    assertThat(html)
        .contains("<canvas id=\"timeline\"")
        .contains("<table id=\"nodes\">")
        .contains("<tr data-node=\"X\">")
        .contains("marker-end=\"url(#arrow)\"")
        .contains("median task takes");
    assertThat(html)
        .contains("<section class=\"card\" id=\"hist-section\">")
        .contains("<figure class=\"hist\"");
  }

  @Test
  void isSelfContained() {
    String html = HtmlReport.render(TraceGenerator.seeded(5).generate());
    assertThat(html)
        .doesNotContain("<link")
        .doesNotContain("src=\"http")
        .doesNotContain("@import")
        .doesNotContain("fetch(")
        .doesNotContain("url(http");
    // The only URL is the SVG namespace, which is a name, not a fetch.
    assertThat(html.replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  @Test
  void escapesHostileNames() {
    Trace t = TraceGenerator.seeded(5).generate();
    String evil = "<script>alert(\"x\")</script>";
    List<Span> spans = new ArrayList<>();
    for (Span s : t.spans()) {
      spans.add(
          new Span(
              s.id(),
              evil,
              "<b>op</b>",
              s.chunk(),
              s.worker(),
              evil + "thread",
              s.start(),
              s.end(),
              0,
              List.of(evil)));
    }
    List<NodeProfile> nodes = new ArrayList<>(t.nodes());
    nodes.add(
        new NodeProfile(evil, "<b>op</b>", 5, 1_000_000_000L, 1_000_000_000L, 1, 2, 3, 0, 0, 0, 0));
    Graph g = Graph.of(evil, "</p><script>alert(1)</script>", t.graph().nodes(), t.graph().edges());
    RunInfo info = new RunInfo(evil, "0", "<i>runner</i>", 4, 0, t.info().wallMicros(), "<v>");
    String html = HtmlReport.render(new Trace(info, g, nodes, spans, t.counters(), 0));
    assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    assertThat(html).contains("\\u003cscript\\u003e"); // inside the JSON data
    // The only script elements are the report's own two.
    assertThat(html.split("<script", -1)).hasSize(3);
    assertThat(html)
        .doesNotContain("<b>op</b>")
        .doesNotContain("<i>runner</i>")
        .doesNotContain("<v>");
  }

  @Test
  void drawsTheClientsPhasesAsALaneWhenTheTraceHasThem() throws Exception {
    Trace t = TraceGenerator.seeded(5).generate();
    assertThat(HtmlReport.render(t)).doesNotContain("The top lane is the client");
    assertThat(data(HtmlReport.render(t)).path("phases").size()).isZero();
    double wall = t.info().wallMicros();
    String evil = "<script>alert(1)</script>";
    Trace withPhases =
        new Trace(
            t.info(),
            t.graph(),
            t.nodes(),
            t.spans(),
            t.counters(),
            0,
            List.of(
                new Phase("prepare (stage inputs, lower)", 0, wall / 4),
                new Phase("job 1 " + evil, wall / 4, wall)));
    String html = HtmlReport.render(withPhases);
    assertThat(html).contains("The top lane is the client");
    com.fasterxml.jackson.databind.JsonNode phases = data(html).path("phases");
    assertThat(phases.size()).isEqualTo(2);
    assertThat(phases.get(1).get(0).asText()).isEqualTo("job 1 " + evil);
    // times in µs, as the spans' (rounded like them)
    assertThat(phases.get(1).get(1).asDouble())
        .isCloseTo(wall / 4, org.assertj.core.data.Offset.offset(1.0));
    assertThat(phases.get(1).get(2).asDouble())
        .isCloseTo(wall, org.assertj.core.data.Offset.offset(1.0));
    // the name reaches the page only inside the JSON data, escaped
    assertThat(html.split("<script", -1)).hasSize(3);
  }

  /** The report's embedded data (the JSON in {@code <script id="data">}). */
  private static com.fasterxml.jackson.databind.JsonNode data(String html) throws Exception {
    int a = html.indexOf('>', html.indexOf("id=\"data\"")) + 1;
    int b = html.indexOf("</script>", a);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(html.substring(a, b));
  }

  @Test
  void rendersTheSameTraceToTheSameText() {
    Trace t = TraceGenerator.seeded(8).generate();
    assertThat(HtmlReport.render(t)).isEqualTo(HtmlReport.render(t));
  }

  @Test
  void laysOutGraphsWithoutPositionsByDepth() {
    Trace t = TraceGenerator.seeded(5).withPositions(false).generate();
    String html = HtmlReport.render(t);
    assertThat(html).contains("data-node=\"n6\" transform=\"translate(1216.0,16.0)\"");
    assertThat(html).contains("data-node=\"X\" transform=\"translate(16.0,16.0)\"");
  }

  @Test
  void loopsShowTheSummedTimeOfTheirBodies() {
    Trace t = TraceGenerator.seeded(5).generate();
    String html = HtmlReport.render(t);
    long body = 0;
    for (NodeProfile n : t.nodes()) {
      if (n.nodeId().startsWith("train/")) {
        body += n.selfNanos();
      }
    }
    assertThat(body).isPositive();
    assertThat(html).contains(org.jetlag.perf.internal.Format.nanos(body) + " · ");
    assertThat(html).contains("body nodes by time:").contains("  logits (matmul)");
  }

  @Test
  void handlesAnEmptyTrace() {
    Trace t = TraceGenerator.seeded(5).generate();
    Trace empty = new Trace(t.info(), t.graph(), List.of(), List.of(), List.of(), 0);
    assertThat(HtmlReport.render(empty)).contains("No spans were recorded").contains("</html>");
  }

  @Test
  void staysSmallForAHundredThousandSpans(@TempDir Path dir) throws Exception {
    Trace t = TraceGenerator.seeded(9).withSpans(100_000).withNodes(12).generate();
    Path file = dir.resolve("report.html");
    long t0 = System.nanoTime();
    HtmlReport.write(t, file);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long size = Files.size(file);
    System.out.printf("report of 100,000 spans: %,d bytes in %d ms%n", size, ms);
    assertThat(size).isLessThan(10L << 20);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).endsWith("</html>\n");
  }
}
