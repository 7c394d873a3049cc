package org.jetlag.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;

/**
 * Checks that every runner's trace and its exports must pass; reusable from any runner's tests (the
 * perf-traces test jar). Times are compared with a tolerance of {@value #EPS} µs.
 */
public final class TraceChecks {
  /** Tolerance of time comparisons, in microseconds. */
  public static final double EPS = 1e-3;

  private TraceChecks() {}

  /**
   * The model is consistent: spans ordered by start and inside {@code [0, wall]}; every span's node
   * id and fused id names a node of the graph (paths into bodies allowed); spans of one thread do
   * not overlap; each thread's busy time is at most the wall time; counters ordered by time; when
   * nothing was dropped, each node's total equals the sum of its span shares within 1 µs per span.
   */
  public static void assertConsistent(Trace t) {
    double wall = t.info().wallMicros();
    assertThat(wall).as("wall time").isGreaterThanOrEqualTo(0);
    Phase before = null;
    for (Phase p : t.phases()) {
      assertThat(p.start()).as("start of phase %s", p.name()).isGreaterThanOrEqualTo(-EPS);
      assertThat(p.end()).as("end of phase %s", p.name()).isLessThanOrEqualTo(wall + EPS);
      if (before != null) {
        assertThat(p.start())
            .as("phase %s starts after %s ends", p.name(), before.name())
            .isGreaterThanOrEqualTo(before.end() - EPS);
      }
      before = p;
    }
    List<Span> spans = t.spans();
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (i > 0) {
        assertThat(s.start())
            .as("span %s starts before span %s", s.id(), spans.get(i - 1).id())
            .isGreaterThanOrEqualTo(spans.get(i - 1).start());
      }
      assertThat(s.start()).as("start of span %s", s.id()).isGreaterThanOrEqualTo(-EPS);
      assertThat(s.end()).as("end of span %s", s.id()).isLessThanOrEqualTo(wall + EPS);
      assertThat(resolve(t.graph(), s.nodeId()))
          .as("span %s names node '%s', which is not in the graph", s.id(), s.nodeId())
          .isPresent();
      for (String f : s.fused()) {
        assertThat(resolve(t.graph(), f))
            .as("span %s fuses node '%s', which is not in the graph", s.id(), f)
            .isPresent();
      }
    }
    Set<Long> ids = new HashSet<>();
    for (Span s : spans) {
      assertThat(ids.add(s.id())).as("span id %s is unique", s.id()).isTrue();
    }
    Map<String, List<Span>> lanes = new LinkedHashMap<>();
    for (Span s : spans) {
      lanes.computeIfAbsent(s.worker() + " / " + s.thread(), k -> new ArrayList<>()).add(s);
    }
    lanes.forEach(
        (lane, l) -> {
          double busy = 0;
          Span prev = null;
          for (Span s : l) { // already in start order
            if (prev != null && s.start() < prev.end() - EPS) {
              fail(
                  "spans %s and %s overlap on thread %s (%s < %s)",
                  prev.id(), s.id(), lane, s.start(), prev.end());
            }
            busy += s.duration();
            prev = s;
          }
          assertThat(busy).as("busy time of %s", lane).isLessThanOrEqualTo(wall + EPS * l.size());
        });
    for (int i = 1; i < t.counters().size(); i++) {
      assertThat(t.counters().get(i).time())
          .as("counter samples in time order")
          .isGreaterThanOrEqualTo(t.counters().get(i - 1).time());
    }
    for (NodeProfile n : t.nodes()) {
      assertThat(resolve(t.graph(), n.nodeId()))
          .as("profile of '%s', which is not in the graph", n.nodeId())
          .isPresent();
      assertThat(n.selfNanos())
          .as("self time of '%s'", n.nodeId())
          .isLessThanOrEqualTo(n.totalNanos());
    }
    if (t.droppedSpans() == 0) {
      Map<String, double[]> sums = new LinkedHashMap<>();
      for (Span s : spans) {
        for (String f : s.fused()) {
          double[] a = sums.computeIfAbsent(f, k -> new double[2]);
          a[0] += s.duration() / s.fused().size();
          a[1]++;
        }
      }
      for (NodeProfile n : t.nodes()) {
        double[] a = sums.getOrDefault(n.nodeId(), new double[2]);
        if (a[1] == 0) {
          continue; // loops, composites and nodes without spans of their own
        }
        assertThat(n.totalNanos() / 1000.0)
            .as("total of '%s' vs the sum of its span shares", n.nodeId())
            .isCloseTo(a[0], org.assertj.core.data.Offset.offset(1.0 * a[1] + EPS));
      }
      for (String id : sums.keySet()) {
        assertThat(t.node(id)).as("profile of '%s', which has spans", id).isPresent();
      }
    }
  }

  /**
   * A Chrome trace JSON is valid: a {@code traceEvents} array; every {@code X} event has name, ph,
   * pid, tid, ts ≥ 0 and dur ≥ 0; process_name and thread_name metadata exist for every pid and
   * (pid, tid) used; {@code C} events have {@code args.value}; X slices of one (pid, tid) do not
   * overlap. Returns the number of X events.
   */
  public static int assertChromeValid(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError("Chrome trace is not JSON: " + e.getMessage(), e);
    }
    JsonNode events = root.get("traceEvents");
    assertThat(events).as("traceEvents").isNotNull();
    assertThat(events.isArray()).as("traceEvents is an array").isTrue();
    Set<Long> processNames = new HashSet<>();
    Set<String> threadNames = new HashSet<>();
    Set<Long> pids = new HashSet<>();
    Set<String> tids = new HashSet<>();
    Map<String, List<double[]>> slices = new LinkedHashMap<>();
    int xs = 0;
    for (JsonNode e : events) {
      String ph = e.path("ph").asText();
      switch (ph) {
        case "M":
          if (e.path("name").asText().equals("process_name")) {
            processNames.add(e.get("pid").asLong());
          } else if (e.path("name").asText().equals("thread_name")) {
            threadNames.add(e.get("pid").asLong() + "/" + e.get("tid").asLong());
          }
          assertThat(e.path("args").path("name").isTextual()).as("name of %s", e).isTrue();
          break;
        case "X":
          xs++;
          for (String field : List.of("name", "ph", "pid", "tid", "ts", "dur")) {
            assertThat(e.has(field)).as("X event has %s: %s", field, e).isTrue();
          }
          assertThat(e.get("ts").isNumber()).as("ts is a number: %s", e).isTrue();
          assertThat(e.get("ts").asDouble()).as("ts of %s", e).isGreaterThanOrEqualTo(0);
          assertThat(e.get("dur").asDouble()).as("dur of %s", e).isGreaterThanOrEqualTo(0);
          long pid = e.get("pid").asLong();
          String tid = pid + "/" + e.get("tid").asLong();
          pids.add(pid);
          tids.add(tid);
          slices
              .computeIfAbsent(tid, k -> new ArrayList<>())
              .add(new double[] {e.get("ts").asDouble(), e.get("dur").asDouble()});
          break;
        case "C":
          assertThat(e.path("args").path("value").isNumber())
              .as("C event has args.value: %s", e)
              .isTrue();
          pids.add(e.get("pid").asLong());
          break;
        default:
          break;
      }
    }
    assertThat(processNames).as("process_name for every pid").containsAll(pids);
    assertThat(threadNames).as("thread_name for every thread").containsAll(tids);
    slices.forEach(
        (tid, l) -> {
          l.sort((a, b) -> Double.compare(a[0], b[0]));
          for (int i = 1; i < l.size(); i++) {
            double prevEnd = l.get(i - 1)[0] + l.get(i - 1)[1];
            if (l.get(i)[0] < prevEnd - EPS) {
              fail("X slices overlap on %s at ts %s (previous ends %s)", tid, l.get(i)[0], prevEnd);
            }
          }
        });
    return xs;
  }

  /** The node a path names: {@code train/logits} is body node {@code logits} of {@code train}. */
  public static Optional<Node> resolve(Graph g, String path) {
    String[] parts = path.split("/", -1);
    Optional<Node> n = g.node(parts[0]);
    for (int i = 1; i < parts.length && n.isPresent(); i++) {
      String p = parts[i];
      n = n.get().body().flatMap(b -> b.node(p));
    }
    return n;
  }
}
