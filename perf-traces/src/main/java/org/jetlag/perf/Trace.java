package org.jetlag.perf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jetlag.graph.Graph;

/**
 * Everything measured in one run: what ran, the graph, a profile per node, a span per task and
 * counters sampled over time. Every runner produces this same model, so the reports, the Chrome
 * export and the editor's overlays work for all of them. Immutable.
 *
 * @param info run metadata
 * @param graph the graph that ran (so a saved trace can be drawn without its graph file)
 * @param nodes a profile per node that ran, in first-run order
 * @param spans a span per task, sorted by start time
 * @param counters sampled counters, sorted by time
 * @param droppedSpans tasks that ran but whose spans were not kept (the span buffer was full); the
 *     node profiles still count them
 * @param phases the client's own stretches of the run (preparation, job submission, collecting
 *     outputs), in time order; empty for runners that do all the work themselves
 */
public record Trace(
    RunInfo info,
    Graph graph,
    List<NodeProfile> nodes,
    List<Span> spans,
    List<CounterSample> counters,
    long droppedSpans,
    List<Phase> phases) {
  /** Copies the lists. */
  public Trace {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(graph, "graph");
    nodes = List.copyOf(nodes);
    spans = List.copyOf(spans);
    counters = List.copyOf(counters);
    phases = List.copyOf(phases);
  }

  /** A trace without client phases. */
  public Trace(
      RunInfo info,
      Graph graph,
      List<NodeProfile> nodes,
      List<Span> spans,
      List<CounterSample> counters,
      long droppedSpans) {
    this(info, graph, nodes, spans, counters, droppedSpans, List.of());
  }

  /** The profile of one node, if it ran. */
  public Optional<NodeProfile> node(String nodeId) {
    return nodes.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
  }

  /** The terminal summary view of this trace. */
  public RunProfile profile() {
    return new RunProfile(
        info.graphName(),
        info.runner(),
        info.threads(),
        Math.round(info.wallMicros() * 1000),
        nodes);
  }
}
