package org.jetlag.editor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jetlag.perf.Phase;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;

/**
 * A run's tasks laid out for the timeline panel: one lane per worker thread, a bar per task; for
 * runs made of engine jobs (Beam) a first lane with the client's phases (preparing, each job's
 * submission and run, collecting outputs), whose bars name no node.
 *
 * @param lanes the lanes sorted by worker, then thread name
 * @param endMicros the time of the last bar's end (the x range is 0 to this)
 * @param droppedSpans tasks not kept in the trace (the legend says so)
 */
public record Timeline(List<Lane> lanes, double endMicros, long droppedSpans) {
  /** The op of the client lane's bars (no op of the catalogue has this name). */
  public static final String PHASE_OP = "client phase";

  /**
   * One worker thread's lane, or the client's.
   *
   * @param name {@code worker / thread}, or {@code client}
   * @param bars the tasks it ran, by start (the client's: its phases, key = the phase's name)
   * @param client true for the client's phases, whose bars select nothing
   */
  public record Lane(String name, List<Bar> bars, boolean client) {
    /** Copies the list. */
    public Lane {
      bars = List.copyOf(bars);
    }

    /** A worker thread's lane. */
    public Lane(String name, List<Bar> bars) {
      this(name, bars, false);
    }
  }

  /**
   * One task.
   *
   * @param key the trace key of the node it computed (selects that node)
   * @param op the node's op
   * @param chunk the chunk index, or -1
   * @param start start in microseconds since the run began
   * @param end end in microseconds
   * @param fused the nodes computed in this task (several when fused)
   */
  public record Bar(
      String key, String op, int chunk, double start, double end, List<String> fused) {
    /** Copies the list. */
    public Bar {
      fused = List.copyOf(fused);
    }

    /** What hovering shows. */
    public String describe() {
      StringBuilder sb = new StringBuilder();
      sb.append(key).append(" (").append(op).append(')');
      if (chunk >= 0) {
        sb.append(" chunk ").append(chunk);
      }
      sb.append('\n')
          .append(String.format(java.util.Locale.ROOT, "%.3f ms", (end - start) / 1000))
          .append(
              String.format(java.util.Locale.ROOT, " at %.3f – %.3f ms", start / 1000, end / 1000));
      if (fused.size() > 1) {
        sb.append("\nfused: ").append(String.join(", ", fused));
      }
      return sb.toString();
    }
  }

  /** Copies the list. */
  public Timeline {
    lanes = List.copyOf(lanes);
  }

  /** The timeline of a trace. */
  public static Timeline of(Trace t) {
    Map<String, List<Bar>> byLane = new TreeMap<>();
    double end = 0;
    for (Span s : t.spans()) {
      String lane = s.worker() + " / " + s.thread();
      byLane
          .computeIfAbsent(lane, k -> new ArrayList<>())
          .add(new Bar(s.nodeId(), s.op(), s.chunk(), s.start(), s.end(), s.fused()));
      end = Math.max(end, s.end());
    }
    List<Lane> lanes = new ArrayList<>();
    if (!t.phases().isEmpty()) {
      List<Bar> phases = new ArrayList<>();
      for (Phase p : t.phases()) {
        phases.add(new Bar(p.name(), PHASE_OP, -1, p.start(), p.end(), List.of()));
        end = Math.max(end, p.end());
      }
      lanes.add(new Lane("client", phases, true));
    }
    byLane.forEach((k, v) -> lanes.add(new Lane(k, v)));
    return new Timeline(lanes, Math.max(end, t.info().wallMicros()), t.droppedSpans());
  }

  /** The bar in a lane covering time {@code micros}, if any (hover and click). */
  public Optional<Bar> barAt(int lane, double micros, double slackMicros) {
    if (lane < 0 || lane >= lanes.size()) {
      return Optional.empty();
    }
    List<Bar> bars = lanes.get(lane).bars();
    int lo = 0;
    int hi = bars.size() - 1;
    // the last bar starting at or before micros + slack
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (bars.get(mid).start() <= micros + slackMicros) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    for (int i = found; i >= 0 && i > found - 64; i--) {
      Bar b = bars.get(i);
      if (b.start() - slackMicros <= micros && micros <= b.end() + slackMicros) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** How many tasks there are (the client lane's phases are not tasks). */
  public int barCount() {
    return lanes.stream().filter(l -> !l.client()).mapToInt(l -> l.bars().size()).sum();
  }
}
