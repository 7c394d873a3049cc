package org.jetlag.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.jetlag.perf.internal.Format;
import org.jetlag.perf.internal.TraceFacts;

/**
 * One-line, actionable advice read from a trace: tasks too small, one node dominating, idle
 * workers, memory well above the input, spans dropped.
 *
 * <p>The rules run in that order and each yields at most one line, so the same trace always gives
 * the same advice. The thresholds are the public constants below.
 */
public final class Advice {
  /** Median task duration, in microseconds, under which scheduling costs rival the work. */
  public static final double SMALL_TASK_MICROS = 100;

  /** Share of the total task time above which one node is named as dominant. */
  public static final double DOMINANT_SHARE = 0.5;

  /** Fraction of the wall time a worker thread may be idle before it is reported. */
  public static final double IDLE_FRACTION = 1.0 / 3;

  /** Peak live bytes, as a multiple of the input bytes, above which memory is reported. */
  public static final double MEMORY_RATIO = 2.0;

  /**
   * Share of the engine jobs' time that worker threads must spend in tasks for the jobs' own
   * overhead (translation, scheduling, deployment) not to be reported.
   */
  public static final double ENGINE_BUSY_FRACTION = 0.2;

  /** Median task duration the chunk-size advice aims for, in microseconds. */
  static final double TARGET_TASK_MICROS = 200;

  private Advice() {}

  /** The advice for a trace, in rule order; empty when nothing stands out. */
  public static List<String> of(Trace trace) {
    TraceFacts f = new TraceFacts(trace);
    List<String> out = new ArrayList<>();
    smallTasks(f, out);
    dominantNode(f, out);
    if (!engineOverhead(f, out)) {
      idleWorkers(f, out); // idle workers are no news when the engine's own work is the run
    }
    memory(f, out);
    dropped(f, out);
    return List.copyOf(out);
  }

  private static void smallTasks(TraceFacts f, List<String> out) {
    OptionalDouble median = f.medianSpanMicros();
    if (median.isEmpty() || median.getAsDouble() >= SMALL_TASK_MICROS) {
      return;
    }
    if (!chunked(f.trace())) {
      return; // every array fits in one chunk: a larger chunk size would change nothing
    }
    double m = median.getAsDouble();
    long known = f.trace().info().chunkBytes();
    double chunk = known > 0 ? known : 4.0 * 1024 * 1024; // the default when the trace lacks it
    int factor = 2;
    while (factor < 1024 && m * factor < TARGET_TASK_MICROS) {
      factor *= 2;
    }
    out.add(
        String.format(
            Locale.ROOT,
            "median task takes %s (under %.0f µs), so scheduling costs rival the work: raise"
                + " --chunk-size about %d× (from %s to %s)",
            Format.micros(m),
            SMALL_TASK_MICROS,
            factor,
            Format.bytes(chunk).replace(" ", ""),
            Format.bytes(chunk * factor).replace(" ", "")));
  }

  private static void dominantNode(TraceFacts f, List<String> out) {
    List<NodeProfile> nodes = f.workNodesByTime();
    if (nodes.isEmpty()) {
      return;
    }
    NodeProfile top = nodes.get(0);
    double share = f.share(top.totalNanos());
    if (share <= DOMINANT_SHARE) {
      return;
    }
    out.add(
        String.format(
            Locale.ROOT,
            "node '%s' (%s) takes %s of all task time (%s of %s): speed it up first — nothing"
                + " else can save more than %s",
            top.nodeId(),
            top.op(),
            Format.percent(share),
            Format.nanos(top.totalNanos()),
            Format.nanos(f.taskNanos()),
            Format.percent(1 - share)));
  }

  /**
   * On an engine that runs the graph as jobs (Beam on Flink: trace phases named {@code job …}),
   * when the tasks fill little of the jobs' time the rest is the engine's per-job work. Says so,
   * and what to do; returns true when it did.
   */
  private static boolean engineOverhead(TraceFacts f, List<String> out) {
    Trace t = f.trace();
    List<Phase> jobs = t.phases().stream().filter(p -> p.name().startsWith("job ")).toList();
    double wall = t.info().wallMicros();
    List<TraceFacts.Lane> lanes = f.taskLanes();
    if (jobs.isEmpty() || wall <= 0 || t.droppedSpans() > 0) {
      return false;
    }
    double inJobs = jobs.stream().mapToDouble(p -> p.end() - p.start()).sum();
    double busy = lanes.stream().mapToDouble(TraceFacts.Lane::busyMicros).sum();
    // the run's parallelism: an engine's task threads come and go with its jobs, so there are
    // many more lanes than threads at work at once
    int threads = Math.max(1, t.info().threads());
    if (inJobs <= 0 || busy / (inJobs * threads) >= ENGINE_BUSY_FRACTION) {
      return false;
    }
    int n = jobs.size();
    out.add(
        String.format(
            Locale.ROOT,
            "%s spent most of the run on its own work: %d job%s took %s of the %s run, and the"
                + " tasks kept its %d parallel workers busy only %s of that — each job pays about %s of"
                + " translation, scheduling and deployment%s",
            t.info().runner(),
            n,
            n == 1 ? "" : "s",
            Format.micros(inJobs),
            Format.micros(wall),
            threads,
            Format.percent(busy / (inJobs * threads)),
            Format.micros((inJobs - busy / threads) / n),
            n > 1
                ? "; a loop runs one job per iteration there, so this graph runs faster with"
                    + " --runner local"
                : "; it pays off only on inputs far larger than this one"));
    return true;
  }

  private static void idleWorkers(TraceFacts f, List<String> out) {
    Trace t = f.trace();
    double wall = t.info().wallMicros();
    List<TraceFacts.Lane> lanes = f.taskLanes();
    if (lanes.isEmpty() || wall <= 0 || t.droppedSpans() > 0) {
      return; // with dropped spans the busy time is unknown
    }
    boolean oneWorker = lanes.stream().map(TraceFacts.Lane::worker).distinct().count() == 1;
    List<TraceFacts.Lane> idle = new ArrayList<>();
    double busy = 0;
    for (TraceFacts.Lane l : lanes) {
      busy += l.busyMicros();
      if (1 - l.busyMicros() / wall > IDLE_FRACTION) {
        idle.add(l);
      }
    }
    int unused = Math.max(0, t.info().threads() - lanes.size());
    if (idle.isEmpty() && unused == 0) {
      return;
    }
    idle.sort(
        Comparator.comparingDouble(TraceFacts.Lane::busyMicros)
            .thenComparing(TraceFacts.Lane::thread, TraceFacts::natural));
    List<String> named = new ArrayList<>();
    for (int i = 0; i < idle.size() && i < 4; i++) {
      TraceFacts.Lane l = idle.get(i);
      named.add(l.label(oneWorker) + " " + Format.percent(1 - l.busyMicros() / wall));
    }
    if (idle.size() > 4) {
      named.add((idle.size() - 4) + " more");
    }
    if (unused > 0) {
      named.add(unused + (unused == 1 ? " thread" : " threads") + " ran no task");
    }
    int threads = Math.max(t.info().threads(), lanes.size());
    double idleShare = 1 - busy / (wall * threads);
    out.add(
        String.format(
            Locale.ROOT,
            chunked(t)
                ? "workers were idle %s of the run (%s): too few tasks were ready at once — a"
                    + " smaller --chunk-size makes more tasks to share, or use fewer --threads"
                : "workers were idle %s of the run (%s): every array fits in one chunk, so there"
                    + " is little to run in parallel — larger inputs, or fewer --threads",
            Format.percent(idleShare),
            String.join(", ", named)));
  }

  /** True when some array was split into several chunks (a task worked on a chunk past 0). */
  private static boolean chunked(Trace t) {
    return t.spans().stream().anyMatch(s -> s.chunk() > 0 && !s.fused().isEmpty());
  }

  private static void memory(TraceFacts f, List<String> out) {
    OptionalDouble peak = f.peak(TraceFacts.LIVE_BYTES);
    long input = f.inputBytes();
    if (peak.isEmpty() || input <= 0) {
      return;
    }
    double ratio = peak.getAsDouble() / input;
    if (ratio <= MEMORY_RATIO) {
      return;
    }
    out.add(
        String.format(
            Locale.ROOT,
            "peak memory %.1f× the input (%s for %s of input): intermediates are held — nodes that"
                + " gather whole arrays keep full copies; cap it with --memory",
            ratio,
            Format.bytes(peak.getAsDouble()),
            Format.bytes(input)));
  }

  private static void dropped(TraceFacts f, List<String> out) {
    long d = f.trace().droppedSpans();
    if (d <= 0) {
      return;
    }
    out.add(
        String.format(
            Locale.ROOT,
            "%s spans were dropped because the span budget was full: the timeline and histograms"
                + " miss them (node totals count them); keep them with a larger budget"
                + " (jetlag run --max-spans N, or RunOptions.withMaxSpans; default 2,000,000)",
            Format.count(d)));
  }
}
