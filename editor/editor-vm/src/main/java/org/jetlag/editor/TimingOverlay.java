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
   * @param heat its share relative to the most expensive node of the same graph or body, 0 to 1
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

  /**
   * The overlay of a trace. A loop's or composite's time includes its body's nodes (their self
   * times, so nothing counts twice); the heat compares a node with the others of the same graph or
   * body, since those are drawn together.
   */
  public static TimingOverlay of(Trace t) {
    long busy = 0;
    Map<String, Long> inclusive = new LinkedHashMap<>();
    Map<String, NodeProfile> byKey = new LinkedHashMap<>();
    for (NodeProfile p : t.nodes()) {
      busy += p.selfNanos();
      byKey.put(p.nodeId(), p);
      inclusive.merge(p.nodeId(), p.selfNanos(), Long::sum);
      // add the node's self time to every enclosing loop or composite
      String k = p.nodeId();
      for (int i = k.lastIndexOf('/'); i > 0; i = k.lastIndexOf('/', i - 1)) {
        inclusive.merge(k.substring(0, i), p.selfNanos(), Long::sum);
      }
    }
    double denom = Math.max(1, busy);
    Map<String, Double> maxShareInScope = new LinkedHashMap<>();
    for (String k : byKey.keySet()) {
      maxShareInScope.merge(scopeOf(k), inclusive.get(k) / denom, Math::max);
    }
    Map<String, NodeTiming> m = new LinkedHashMap<>();
    for (NodeProfile p : byKey.values()) {
      String k = p.nodeId();
      double share = Math.min(1, inclusive.get(k) / denom);
      double max = maxShareInScope.get(scopeOf(k));
      m.put(
          k,
          new NodeTiming(
              k, p.op(), inclusive.get(k) / 1e6, share, max <= 0 ? 0 : share / max, p.calls()));
    }
    return new TimingOverlay(m, busy, t.info().wallMicros() / 1000.0);
  }

  private static String scopeOf(String key) {
    int i = key.lastIndexOf('/');
    return i < 0 ? "" : key.substring(0, i);
  }

  /** The timing of a node by trace key. */
  public Optional<NodeTiming> node(String key) {
    return Optional.ofNullable(nodes.get(key));
  }
}
