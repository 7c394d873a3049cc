package org.jetlag.perf.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jetlag.perf.CounterSample;
import org.jetlag.perf.NodeProfile;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;

/**
 * Figures derived from a trace that the advice, the CSV and the HTML report share, so that they
 * agree: total task time, each node's share, per-thread busy time, peak memory and input size.
 */
public final class TraceFacts {
  /** Counter of bytes held by arrays. */
  public static final String LIVE_BYTES = "live_bytes";

  /** Counter of tasks running at the sample time. */
  public static final String TASKS_RUNNING = "tasks_running";

  private final Trace trace;
  private final long taskNanos;
  private final List<Lane> lanes;
  private final int taskLanes;
  private final Map<String, Integer> laneIndex;

  /**
   * One worker thread of the run.
   *
   * @param worker the process
   * @param thread the thread name
   * @param busyMicros summed duration of its spans
   * @param spans how many spans ran on it
   */
  public record Lane(String worker, String thread, double busyMicros, int spans) {
    /** {@code thread} alone for the local runner, {@code worker/thread} otherwise. */
    public String label(boolean oneWorker) {
      return oneWorker ? thread : worker + "/" + thread;
    }
  }

  /** Derives the figures of a trace. */
  public TraceFacts(Trace trace) {
    this.trace = trace;
    long sum = 0;
    for (NodeProfile n : trace.nodes()) {
      sum += n.selfNanos();
    }
    this.taskNanos = sum;
    Map<String, double[]> busy = new LinkedHashMap<>();
    Map<String, String[]> names = new LinkedHashMap<>();
    for (Span s : trace.spans()) {
      if (!isTask(s)) {
        continue;
      }
      String key = laneKey(s);
      double[] b = busy.get(key);
      if (b == null) {
        b = new double[2];
        busy.put(key, b);
        names.put(key, new String[] {s.worker(), s.thread()});
      }
      b[0] += s.duration();
      b[1]++;
    }
    List<Lane> l = new ArrayList<>();
    busy.forEach((k, b) -> l.add(new Lane(names.get(k)[0], names.get(k)[1], b[0], (int) b[1])));
    Map<String, Integer> workerOrder = new LinkedHashMap<>();
    for (Lane lane : l) {
      workerOrder.putIfAbsent(lane.worker(), workerOrder.size());
    }
    l.sort(
        Comparator.<Lane>comparingInt(x -> workerOrder.get(x.worker()))
            .thenComparing(Lane::thread, TraceFacts::natural));
    this.taskLanes = l.size();
    Map<String, double[]> containers = new LinkedHashMap<>();
    for (Span s : trace.spans()) {
      if (!isTask(s)) {
        double[] b = containers.get(laneKey(s));
        if (b == null) {
          b = new double[2];
          containers.put(laneKey(s), b);
          names.put(laneKey(s), new String[] {s.worker(), s.thread()});
        }
        b[0] += s.duration();
        b[1]++;
      }
    }
    containers.forEach(
        (k, b) -> l.add(new Lane(names.get(k)[0], names.get(k)[1], b[0], (int) b[1])));
    this.lanes = List.copyOf(l);
    Map<String, Integer> idx = new LinkedHashMap<>();
    for (int i = 0; i < lanes.size(); i++) {
      idx.put(lanes.get(i).worker() + "\u0000" + lanes.get(i).thread(), i);
    }
    this.laneIndex = idx;
  }

  /** Whether an op holds a body whose nodes are profiled under its path. */
  public static boolean isContainer(String op) {
    return op.equals("loop") || op.equals("composite");
  }

  /** The top-level node a path belongs to: {@code train} for {@code train/logits}. */
  public static String topLevel(String path) {
    int i = path.indexOf('/');
    return i < 0 ? path : path.substring(0, i);
  }

  /** The trace. */
  public Trace trace() {
    return trace;
  }

  /** Summed time of all tasks (each node's self time), in nanoseconds. */
  public long taskNanos() {
    return taskNanos;
  }

  /** A fraction of the total task time, 0 when nothing ran. */
  public double share(long nanos) {
    return taskNanos <= 0 ? 0 : (double) nanos / taskNanos;
  }

  /**
   * The time of a node including its body: its own self time plus the self time of every node under
   * its path (so a loop shows the summed time of its bodies).
   */
  public long inclusiveNanos(String path) {
    long sum = 0;
    String prefix = path + "/";
    for (NodeProfile n : trace.nodes()) {
      if (n.nodeId().equals(path)) {
        sum += isContainer(n.op()) ? n.selfNanos() : n.totalNanos();
      } else if (n.nodeId().startsWith(prefix)) {
        sum += n.selfNanos();
      }
    }
    return sum;
  }

  /** Profiles of nodes that run tasks (not loops or composites), longest first, then by id. */
  public List<NodeProfile> workNodesByTime() {
    List<NodeProfile> l = new ArrayList<>();
    for (NodeProfile n : trace.nodes()) {
      if (!isContainer(n.op())) {
        l.add(n);
      }
    }
    l.sort(
        Comparator.comparingLong(NodeProfile::totalNanos)
            .reversed()
            .thenComparing(NodeProfile::nodeId));
    return l;
  }

  /**
   * Timeline lanes: first the worker threads that ran tasks (by worker in order of appearance,
   * threads in natural order), then the lanes of container spans (loop iterations).
   */
  public List<Lane> lanes() {
    return lanes;
  }

  /** The worker threads that ran tasks: the first lanes. */
  public List<Lane> taskLanes() {
    return lanes.subList(0, taskLanes);
  }

  /**
   * Whether a span is a task that ran on a worker thread, as opposed to a container span (a loop
   * iteration, whose {@code fused} list is empty) that only encloses tasks.
   */
  public static boolean isTask(Span s) {
    return !s.fused().isEmpty();
  }

  /** The task spans, in trace order. */
  public List<Span> tasks() {
    List<Span> out = new ArrayList<>(trace.spans().size());
    for (Span s : trace.spans()) {
      if (isTask(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The index in {@link #lanes()} of the thread a span ran on. */
  public int lane(Span s) {
    return laneIndex.get(laneKey(s));
  }

  /** Median task span duration in microseconds, if there are task spans. */
  public OptionalDouble medianSpanMicros() {
    List<Span> spans = tasks();
    if (spans.isEmpty()) {
      return OptionalDouble.empty();
    }
    double[] d = new double[spans.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = spans.get(i).duration();
    }
    Arrays.sort(d);
    int m = d.length / 2;
    return OptionalDouble.of(d.length % 2 == 1 ? d[m] : (d[m - 1] + d[m]) / 2);
  }

  /** The highest value of a counter, if it was sampled. */
  public OptionalDouble peak(String counter) {
    double max = Double.NEGATIVE_INFINITY;
    boolean any = false;
    for (CounterSample c : trace.counters()) {
      if (c.name().equals(counter)) {
        max = Math.max(max, c.value());
        any = true;
      }
    }
    return any ? OptionalDouble.of(max) : OptionalDouble.empty();
  }

  /** Bytes produced by the nodes that bring data in: {@code input} and {@code read_*} ops. */
  public long inputBytes() {
    long sum = 0;
    for (NodeProfile n : trace.nodes()) {
      if (n.op().equals("input") || n.op().startsWith("read_")) {
        sum += n.bytesOut();
      }
    }
    return sum;
  }

  /** Each node's share of every span it took part in, in microseconds, by node id. */
  public Map<String, double[]> shareDurations() {
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (Span s : trace.spans()) {
      for (String f : s.fused()) {
        counts.computeIfAbsent(f, k -> new int[1])[0]++;
      }
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    counts.forEach((k, c) -> out.put(k, new double[c[0]]));
    Map<String, int[]> fill = new LinkedHashMap<>();
    for (Span s : trace.spans()) {
      double share = s.duration() / Math.max(1, s.fused().size());
      for (String f : s.fused()) {
        int[] i = fill.computeIfAbsent(f, k -> new int[1]);
        out.get(f)[i[0]++] = share;
      }
    }
    return out;
  }

  /** Compares names so that {@code worker-2} comes before {@code worker-10}. */
  public static int natural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c =
            na.length() != nb.length()
                ? Integer.compare(na.length(), nb.length())
                : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }

  private static String laneKey(Span s) {
    return s.worker() + "\u0000" + s.thread();
  }
}
