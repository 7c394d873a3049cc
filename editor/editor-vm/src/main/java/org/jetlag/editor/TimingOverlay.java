package org.jetlag.editor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jetlag.perf.NodeProfile;
import org.jetlag.perf.Trace;

/**
 * The time of every node of a run, for drawing on the canvas: milliseconds, share of the run's busy
 * time, and a heat from 0 (cheapest) to 1 (the most expensive node).
 *
 * @param nodes timing by trace key ({@code lloyd/x3} inside bodies), in trace order
 * @param busyNanos the summed self time of every node, the denominator of the shares
 * @param wallMillis the run's wall time
 */
public record TimingOverlay(Map<String, NodeTiming> nodes, long busyNanos, double wallMillis) {
  /**
   * One node's time.
   *
   * @param key the node's trace key
   * @param op its op
   * @param millis its time in milliseconds (inclusive of a loop's or composite's body)
   * @param share its fraction of the busy time, 0 to 1
   * @param heat its share relative to the most expensive node, 0 to 1
   * @param calls the tasks it ran
   */
  public record NodeTiming(
      String key, String op, double millis, double share, double heat, long calls) {
    /** "12.3 ms · 45%" as the canvas shows it. */
    public String label() {
      return String.format(java.util.Locale.ROOT, "%s · %.0f%%", millis(millis), share * 100);
    }

    static String millis(double ms) {
      return ms >= 100
          ? String.format(java.util.Locale.ROOT, "%.0f ms", ms)
          : ms >= 1
              ? String.format(java.util.Locale.ROOT, "%.1f ms", ms)
              : String.format(java.util.Locale.ROOT, "%.2f ms", ms);
    }
  }

  /** Copies the map. */
  public TimingOverlay {
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /** The overlay of a trace. */
  public static TimingOverlay of(Trace t) {
    long busy = 0;
    for (NodeProfile p : t.nodes()) {
      busy += p.selfNanos();
    }
    double denom = Math.max(1, busy);
    double maxShare = 0;
    for (NodeProfile p : t.nodes()) {
      maxShare = Math.max(maxShare, p.totalNanos() / denom);
    }
    Map<String, NodeTiming> m = new LinkedHashMap<>();
    for (NodeProfile p : t.nodes()) {
      double share = Math.min(1, p.totalNanos() / denom);
      m.put(
          p.nodeId(),
          new NodeTiming(
              p.nodeId(),
              p.op(),
              p.totalNanos() / 1e6,
              share,
              maxShare == 0 ? 0 : share / Math.min(1, maxShare),
              p.calls()));
    }
    return new TimingOverlay(m, busy, t.info().wallMicros() / 1000.0);
  }

  /** The timing of a node by trace key. */
  public Optional<NodeTiming> node(String key) {
    return Optional.ofNullable(nodes.get(key));
  }
}
