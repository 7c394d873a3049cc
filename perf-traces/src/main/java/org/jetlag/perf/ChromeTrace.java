package org.jetlag.perf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exports a trace in the Chrome Trace Event format, which Perfetto UI (ui.perfetto.dev) and {@code
 * chrome://tracing} open.
 *
 * <p>One process per worker ({@code local}, or a TaskManager), one thread row per worker thread,
 * named with {@code ph:"M"} metadata events; one complete event ({@code ph:"X"}) per span, named by
 * its node id, with {@code ts} and {@code dur} in microseconds and the op, chunk and fused nodes in
 * {@code args}; counters as {@code ph:"C"} events. A thread runs one task at a time, so slices on
 * one thread never overlap.
 */
public final class ChromeTrace {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ChromeTrace() {}

  /** Writes the Chrome JSON of a trace to a file, atomically. */
  public static void write(Trace t, Path file) {
    AtomicFiles.write(file, w -> write(t, w));
  }

  /** A metadata event naming a process or a thread. */
  private static void writeName(JsonGenerator g, String kind, int pid, int tid, String name)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("ph", "M");
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", tid);
    g.writeStringField("name", kind);
    g.writeObjectFieldStart("args");
    g.writeStringField("name", name);
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Writes the Chrome JSON of a trace. */
  public static void write(Trace t, Writer out) throws IOException {
    Map<String, Integer> pids = new LinkedHashMap<>();
    Map<String, Integer> tids = new LinkedHashMap<>();
    for (Span s : t.spans()) {
      pids.putIfAbsent(s.worker(), pids.size() + 1);
      tids.putIfAbsent(s.worker() + "\u0000" + s.thread(), tids.size() + 1);
    }
    if (pids.isEmpty()) {
      pids.put(t.info().runner(), 1);
    }
    try (JsonGenerator g = FACTORY.createGenerator(new BufferedWriter(out, 1 << 16))) {
      g.writeStartObject();
      g.writeArrayFieldStart("traceEvents");
      for (Map.Entry<String, Integer> p : pids.entrySet()) {
        g.writeStartObject();
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", p.getValue());
        g.writeNumberField("tid", 0);
        g.writeStringField("name", "process_name");
        g.writeObjectFieldStart("args");
        g.writeStringField("name", p.getKey() + " (" + t.info().graphName() + ")");
        g.writeEndObject();
        g.writeEndObject();
      }
      for (Map.Entry<String, Integer> e : tids.entrySet()) {
        String[] wt = e.getKey().split("\u0000", 2);
        g.writeStartObject();
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", pids.get(wt[0]));
        g.writeNumberField("tid", e.getValue());
        g.writeStringField("name", "thread_name");
        g.writeObjectFieldStart("args");
        g.writeStringField("name", wt[1]);
        g.writeEndObject();
        g.writeEndObject();
      }
      for (Span s : t.spans()) {
        g.writeStartObject();
        g.writeStringField("ph", "X");
        g.writeStringField("name", s.nodeId());
        g.writeStringField("cat", s.op());
        g.writeNumberField("pid", pids.get(s.worker()));
        g.writeNumberField("tid", tids.get(s.worker() + "\u0000" + s.thread()));
        g.writeNumberField("ts", s.start());
        g.writeNumberField("dur", s.duration());
        g.writeObjectFieldStart("args");
        g.writeStringField("op", s.op());
        g.writeNumberField("chunk", s.chunk());
        if (s.fused().size() > 1) {
          g.writeArrayFieldStart("fused");
          for (String f : s.fused()) {
            g.writeString(f);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      if (!t.phases().isEmpty()) {
        // the client's phases: a process of their own, one row
        int cp = pids.size() + 1;
        int ct = tids.size() + 1;
        writeName(g, "process_name", cp, 0, "client (" + t.info().graphName() + ")");
        writeName(g, "thread_name", cp, ct, "phases");
        for (Phase p : t.phases()) {
          g.writeStartObject();
          g.writeStringField("ph", "X");
          g.writeStringField("name", p.name());
          g.writeStringField("cat", "phase");
          g.writeNumberField("pid", cp);
          g.writeNumberField("tid", ct);
          g.writeNumberField("ts", p.start());
          g.writeNumberField("dur", p.duration());
          g.writeObjectFieldStart("args");
          g.writeStringField("name", p.name());
          g.writeEndObject();
          g.writeEndObject();
        }
      }
      int pid = pids.values().iterator().next();
      for (CounterSample c : t.counters()) {
        g.writeStartObject();
        g.writeStringField("ph", "C");
        g.writeStringField("name", c.name());
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", 0);
        g.writeNumberField("ts", c.time());
        g.writeObjectFieldStart("args");
        g.writeNumberField("value", c.value());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("displayTimeUnit", "ms");
      g.writeObjectFieldStart("otherData");
      g.writeStringField("graph", t.info().graphName());
      g.writeStringField("graphHash", t.info().graphHash());
      g.writeStringField("runner", t.info().runner());
      g.writeStringField("jetlagVersion", t.info().jetlagVersion());
      g.writeNumberField("droppedSpans", t.droppedSpans());
      g.writeEndObject();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }
}
