package org.jetlag.runner.beam.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.jetlag.graph.TypedGraph;
import org.jetlag.perf.NodeProfile;
import org.jetlag.perf.RunInfo;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;

/**
 * Turns what the workers measured (span logs in the run folder, and Beam's per-node distributions)
 * into the same {@link Trace} model the local runner produces: spans keyed by node path, a profile
 * per node (a fused step's time split equally among the nodes it computed), and a count of tasks
 * whose spans were lost (Beam counted them, no log has them).
 */
public final class BeamTrace {
  private BeamTrace() {}

  /** A span as a worker logged it, times in epoch microseconds. */
  private record Logged(
      String path,
      String op,
      int chunk,
      String worker,
      String thread,
      long start,
      long end,
      List<String> fused,
      long elementsIn,
      long elementsOut,
      long bytesIn,
      long bytesOut) {}

  /**
   * The trace of a finished run.
   *
   * @param startEpochMicros when the client started the run (epoch microseconds)
   * @param maxSpans spans kept at most (the earliest); the rest are counted as dropped
   * @param phases the client's phases (preparation, each job's submission and run, collection)
   */
  public static Trace build(
      TypedGraph g,
      Exchange ex,
      List<MetricResults> metrics,
      RunInfo info,
      long startEpochMicros,
      long maxSpans,
      List<org.jetlag.perf.Phase> phases) {
    List<Logged> logged = read(ex);
    logged.sort(Comparator.comparingLong(Logged::start).thenComparing(Logged::path));
    List<Span> spans = new ArrayList<>();
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    Map<String, long[]> io = new LinkedHashMap<>();
    Map<String, String> ops = new LinkedHashMap<>();
    Map<String, Long> perTag = new LinkedHashMap<>();
    Map<String, Long> containers = new LinkedHashMap<>();
    double wall = info.wallMicros();
    long id = 0;
    for (Logged l : logged) {
      double start = Math.min(wall, Math.max(0, l.start() - startEpochMicros));
      double end = Math.min(wall, Math.max(start, l.end() - startEpochMicros));
      if (l.fused().isEmpty()) {
        // a loop iteration driven from the client: a container, its work is in its body's spans
        containers.merge(l.path(), 1L, Long::sum);
        ops.putIfAbsent(l.path(), l.op());
        if (spans.size() < maxSpans) {
          spans.add(
              new Span(
                  ++id,
                  l.path(),
                  l.op(),
                  l.chunk(),
                  l.worker(),
                  l.thread(),
                  start,
                  end,
                  0,
                  List.of()));
        }
        continue;
      }
      perTag.merge(l.path(), 1L, Long::sum);
      double share = (end - start) / l.fused().size();
      for (int i = 0; i < l.fused().size(); i++) {
        String f = l.fused().get(i);
        shares.computeIfAbsent(f, k -> new ArrayList<>()).add(share);
        long[] a = io.computeIfAbsent(f, k -> new long[4]);
        if (i == 0) {
          a[0] += l.elementsIn();
          a[2] += l.bytesIn();
        }
        if (i == l.fused().size() - 1) {
          a[1] += l.elementsOut();
          a[3] += l.bytesOut();
        }
        ops.putIfAbsent(f, f.equals(l.path()) ? l.op() : opOf(g, f));
      }
      if (spans.size() < maxSpans) {
        spans.add(
            new Span(
                ++id,
                l.path(),
                l.op(),
                l.chunk(),
                l.worker(),
                l.thread(),
                start,
                end,
                0,
                l.fused()));
      }
    }
    long dropped = logged.size() - spans.size();
    // tasks Beam counted whose span line never reached a log (a lost worker's last bundle)
    for (Map.Entry<String, Long> e : counts(metrics).entrySet()) {
      dropped += Math.max(0, e.getValue() - perTag.getOrDefault(e.getKey(), 0L));
    }
    List<NodeProfile> profiles = new ArrayList<>();
    for (Map.Entry<String, Long> e : containers.entrySet()) {
      shares.putIfAbsent(e.getKey(), new ArrayList<>());
    }
    for (Map.Entry<String, List<Double>> e : shares.entrySet()) {
      List<Double> d = new ArrayList<>(e.getValue());
      Collections.sort(d);
      long total = 0;
      for (double x : d) {
        total += Math.round(x * 1000);
      }
      long[] a = io.getOrDefault(e.getKey(), new long[4]);
      boolean none = d.isEmpty();
      profiles.add(
          new NodeProfile(
              e.getKey(),
              ops.get(e.getKey()),
              d.size() + containers.getOrDefault(e.getKey(), 0L),
              total,
              total,
              none ? 0 : Math.round(d.get(0) * 1000),
              none ? 0 : Math.round(d.get(d.size() - 1) * 1000),
              none ? 0 : Math.round(d.get(d.size() / 2) * 1000),
              a[0],
              a[1],
              a[2],
              a[3]));
    }
    return new Trace(info, g.graph(), profiles, spans, List.of(), dropped, phases);
  }

  private static String opOf(TypedGraph g, String path) {
    String[] parts = path.split("/");
    TypedGraph at = g;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at.body(parts[i]);
    }
    return at.graph().node(parts[parts.length - 1]).orElseThrow().op();
  }

  /** Tasks per node path as Beam's distributions counted them (attempted values). */
  private static Map<String, Long> counts(List<MetricResults> all) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (MetricResults metrics : all) {
      MetricQueryResults r;
      try {
        r = metrics.queryMetrics(MetricsFilter.builder().build());
      } catch (UnsupportedOperationException e) {
        continue;
      }
      for (MetricResult<DistributionResult> d : r.getDistributions()) {
        if (Meter.NAMESPACE.equals(d.getName().getNamespace())) {
          out.merge(d.getName().getName(), d.getAttempted().getCount(), Long::sum);
        }
      }
    }
    return out;
  }

  private static List<Logged> read(Exchange ex) {
    List<Logged> out = new ArrayList<>();
    for (Path f : ex.spanLogs()) {
      List<String> lines;
      try {
        lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read span log " + f + ": " + e, e);
      }
      for (String line : lines) {
        if (line.isEmpty()) {
          continue;
        }
        String[] c = line.split("\t", -1);
        out.add(
            new Logged(
                c[0],
                c[1],
                Integer.parseInt(c[2]),
                c[3],
                c[4],
                Long.parseLong(c[5]),
                Long.parseLong(c[6]),
                c[7].isEmpty() ? List.of() : Arrays.asList(c[7].split(",")),
                Long.parseLong(c[8]),
                Long.parseLong(c[9]),
                Long.parseLong(c[10]),
                Long.parseLong(c[11])));
      }
    }
    return out;
  }
}
