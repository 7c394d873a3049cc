package org.jetlag.perf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.json.GraphJson;

/**
 * Reads and writes traces as JSON ({@code jetlag trace} files). Spans and counters are stored by
 * column, so a trace of a million spans stays compact and fast; a trace written, read back and
 * written again is byte-identical.
 */
public final class TraceJson {
  /** The {@code format} value of a trace file. */
  public static final String FORMAT = "jetlag-trace";

  /** The version this JetLag writes and the newest it reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private TraceJson() {}

  /** Writes a trace file atomically (a temporary file, then a rename). */
  public static void write(Trace t, Path file) {
    AtomicFiles.write(file, w -> write(t, w));
  }

  /** Writes a trace as JSON. */
  public static void write(Trace t, Writer out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(new BufferedWriter(out, 1 << 16))) {
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeNumberField("version", VERSION);
      RunInfo i = t.info();
      g.writeObjectFieldStart("info");
      g.writeStringField("graphName", i.graphName());
      g.writeStringField("graphHash", i.graphHash());
      g.writeStringField("runner", i.runner());
      g.writeNumberField("threads", i.threads());
      g.writeNumberField("startEpochMillis", i.startEpochMillis());
      g.writeNumberField("wallMicros", i.wallMicros());
      g.writeStringField("jetlagVersion", i.jetlagVersion());
      g.writeNumberField("chunkBytes", i.chunkBytes());
      g.writeEndObject();
      g.writeFieldName("graph");
      g.writeRawValue(GraphJson.write(t.graph()).trim());
      g.writeArrayFieldStart("nodes");
      for (NodeProfile n : t.nodes()) {
        g.writeStartObject();
        g.writeStringField("nodeId", n.nodeId());
        g.writeStringField("op", n.op());
        g.writeNumberField("calls", n.calls());
        g.writeNumberField("totalNanos", n.totalNanos());
        g.writeNumberField("selfNanos", n.selfNanos());
        g.writeNumberField("minNanos", n.minNanos());
        g.writeNumberField("maxNanos", n.maxNanos());
        g.writeNumberField("medianNanos", n.medianNanos());
        g.writeNumberField("elementsIn", n.elementsIn());
        g.writeNumberField("elementsOut", n.elementsOut());
        g.writeNumberField("bytesIn", n.bytesIn());
        g.writeNumberField("bytesOut", n.bytesOut());
        g.writeEndObject();
      }
      g.writeEndArray();
      writeSpans(g, t.spans());
      g.writeObjectFieldStart("counters");
      List<CounterSample> cs = t.counters();
      g.writeArrayFieldStart("name");
      for (CounterSample c : cs) {
        g.writeString(c.name());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("time");
      for (CounterSample c : cs) {
        g.writeNumber(c.time());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("value");
      for (CounterSample c : cs) {
        g.writeNumber(c.value());
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeNumberField("droppedSpans", t.droppedSpans());
      if (!t.phases()
          .isEmpty()) { // absent for runners without phases: their files stay as they were
        g.writeObjectFieldStart("phases");
        g.writeArrayFieldStart("name");
        for (Phase p : t.phases()) {
          g.writeString(p.name());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("start");
        for (Phase p : t.phases()) {
          g.writeNumber(p.start());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("end");
        for (Phase p : t.phases()) {
          g.writeNumber(p.end());
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  private static void writeSpans(JsonGenerator g, List<Span> spans) throws IOException {
    g.writeObjectFieldStart("spans");
    g.writeArrayFieldStart("id");
    for (Span s : spans) {
      g.writeNumber(s.id());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("node");
    for (Span s : spans) {
      g.writeString(s.nodeId());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("op");
    for (Span s : spans) {
      g.writeString(s.op());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("chunk");
    for (Span s : spans) {
      g.writeNumber(s.chunk());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("worker");
    for (Span s : spans) {
      g.writeString(s.worker());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("thread");
    for (Span s : spans) {
      g.writeString(s.thread());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("start");
    for (Span s : spans) {
      g.writeNumber(s.start());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("end");
    for (Span s : spans) {
      g.writeNumber(s.end());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("parent");
    for (Span s : spans) {
      g.writeNumber(s.parent());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("fused");
    for (Span s : spans) {
      if (s.fused().size() == 1 && s.fused().get(0).equals(s.nodeId())) {
        g.writeNull();
      } else {
        g.writeStartArray();
        for (String f : s.fused()) {
          g.writeString(f);
        }
        g.writeEndArray();
      }
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Reads a trace file.
   *
   * @throws JetLagException naming the file when it is missing or not a JetLag trace
   */
  public static Trace read(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(MAPPER.readTree(r), file.toString());
    } catch (NoSuchFileException e) {
      throw new JetLagException(file + ": no such file", e);
    } catch (IOException e) {
      throw new JetLagException(file + ": not a JetLag trace: " + e.getMessage(), e);
    }
  }

  private static Trace read(JsonNode root, String source) {
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new JetLagException(
          source + ": not a JetLag trace (expected \"format\": \"" + FORMAT + "\")");
    }
    int v = root.path("version").asInt(-1);
    if (v < 1 || v > VERSION) {
      throw new JetLagException(
          source
              + ": trace version "
              + v
              + " is not supported (this JetLag reads 1 to "
              + VERSION
              + ")");
    }
    try {
      JsonNode i = root.get("info");
      RunInfo info =
          new RunInfo(
              i.get("graphName").asText(),
              i.get("graphHash").asText(),
              i.get("runner").asText(),
              i.get("threads").asInt(),
              i.get("startEpochMillis").asLong(),
              i.get("wallMicros").asDouble(),
              i.get("jetlagVersion").asText(),
              i.path("chunkBytes").asLong(0));
      List<NodeProfile> nodes = new ArrayList<>();
      for (JsonNode n : root.get("nodes")) {
        nodes.add(
            new NodeProfile(
                n.get("nodeId").asText(),
                n.get("op").asText(),
                n.get("calls").asLong(),
                n.get("totalNanos").asLong(),
                n.get("selfNanos").asLong(),
                n.get("minNanos").asLong(),
                n.get("maxNanos").asLong(),
                n.get("medianNanos").asLong(),
                n.get("elementsIn").asLong(),
                n.get("elementsOut").asLong(),
                n.get("bytesIn").asLong(),
                n.get("bytesOut").asLong()));
      }
      JsonNode s = root.get("spans");
      List<Span> spans = new ArrayList<>();
      for (int k = 0; k < s.get("id").size(); k++) {
        JsonNode f = s.get("fused").get(k);
        String node = s.get("node").get(k).asText();
        List<String> fused = new ArrayList<>();
        if (f == null || f.isNull()) {
          fused.add(node);
        } else {
          f.forEach(x -> fused.add(x.asText()));
        }
        spans.add(
            new Span(
                s.get("id").get(k).asLong(),
                node,
                s.get("op").get(k).asText(),
                s.get("chunk").get(k).asInt(),
                s.get("worker").get(k).asText(),
                s.get("thread").get(k).asText(),
                s.get("start").get(k).asDouble(),
                s.get("end").get(k).asDouble(),
                s.get("parent").get(k).asLong(),
                fused));
      }
      JsonNode c = root.get("counters");
      List<CounterSample> counters = new ArrayList<>();
      for (int k = 0; k < c.get("name").size(); k++) {
        counters.add(
            new CounterSample(
                c.get("name").get(k).asText(),
                c.get("time").get(k).asDouble(),
                c.get("value").get(k).asDouble()));
      }
      List<Phase> phases = new ArrayList<>();
      JsonNode p = root.get("phases");
      if (p != null) {
        for (int k = 0; k < p.get("name").size(); k++) {
          phases.add(
              new Phase(
                  p.get("name").get(k).asText(),
                  p.get("start").get(k).asDouble(),
                  p.get("end").get(k).asDouble()));
        }
      }
      return new Trace(
          info,
          GraphJson.parse(root.get("graph").toString(), source + " (graph)"),
          nodes,
          spans,
          counters,
          root.path("droppedSpans").asLong(),
          phases);
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new JetLagException(source + ": malformed JetLag trace: " + e, e);
    }
  }

  static String toJson(Trace t) {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      write(t, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
