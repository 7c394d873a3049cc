package org.jetlag.perf;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The timing summary of one run: wall time and a profile per node.
 *
 * @param graphName the graph's name
 * @param runner the runner's name ({@code local})
 * @param threads worker threads used
 * @param wallNanos elapsed time of the run
 * @param nodes one profile per executed node, in graph order
 */
public record RunProfile(
    String graphName, String runner, int threads, long wallNanos, List<NodeProfile> nodes) {
  /** Copies the list. */
  public RunProfile {
    Objects.requireNonNull(graphName, "graphName");
    Objects.requireNonNull(runner, "runner");
    nodes = List.copyOf(nodes);
  }

  /** Sum of all nodes' task time (exceeds wall time when work ran in parallel). */
  public long busyNanos() {
    return nodes.stream().mapToLong(NodeProfile::totalNanos).sum();
  }

  /** A fixed-width table of the nodes sorted by time, at most {@code limit} rows, for terminals. */
  public String table(int limit) {
    StringBuilder sb = new StringBuilder();
    long busy = Math.max(1, busyNanos());
    sb.append(
        String.format(
            Locale.ROOT,
            "%s on %s (%d thread%s): wall %s, busy %s%n",
            graphName,
            runner,
            threads,
            threads == 1 ? "" : "s",
            ms(wallNanos),
            ms(busyNanos())));
    int idw = Math.max(4, nodes.stream().mapToInt(n -> n.nodeId().length()).max().orElse(4));
    idw = Math.min(idw, 40);
    int opw = Math.max(2, nodes.stream().mapToInt(n -> n.op().length()).max().orElse(2));
    String fmt = "%-" + idw + "s  %-" + opw + "s  %10s  %6s  %7s  %10s%n";
    sb.append(String.format(Locale.ROOT, fmt, "node", "op", "time", "share", "tasks", "mean/task"));
    nodes.stream()
        .sorted(Comparator.comparingLong(NodeProfile::totalNanos).reversed())
        .limit(limit)
        .forEach(
            n ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        fmt,
                        n.nodeId().length() > 40 ? n.nodeId().substring(0, 39) + "~" : n.nodeId(),
                        n.op(),
                        ms(n.totalNanos()),
                        String.format(Locale.ROOT, "%.1f%%", 100.0 * n.totalNanos() / busy),
                        n.calls(),
                        us(n.meanNanos()))));
    if (nodes.size() > limit) {
      sb.append(String.format(Locale.ROOT, "(%d more nodes)%n", nodes.size() - limit));
    }
    return sb.toString();
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  private static String us(double nanos) {
    return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
  }
}
