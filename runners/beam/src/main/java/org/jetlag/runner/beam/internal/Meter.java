package org.jetlag.runner.beam.internal;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Measures the work of Beam steps where it runs, on the workers: each task (one chunk through one
 * step) becomes a span line in the run folder's span logs, and a sample of the Beam {@link
 * Distribution} {@code jetlag/<node path>} (microseconds), which Beam sums per node on every
 * runner. Span lines are buffered per process and written at the end of each bundle, one log file
 * at a time, whole.
 *
 * <p>Times are wall-clock microseconds since the epoch, so spans from several processes on one
 * machine share a clock; across machines they are as good as the machines' clock sync.
 */
public final class Meter {
  /** The Beam metric namespace of the per-node distributions. */
  public static final String NAMESPACE = "jetlag";

  private static final Map<String, ConcurrentLinkedQueue<String>> PENDING =
      new ConcurrentHashMap<>();
  private static final AtomicLong LOGS = new AtomicLong();

  private Meter() {}

  /**
   * What a step computes, for its spans.
   *
   * @param exchange the run folder
   * @param path the node path ({@code loop_1/matmul_2} inside bodies)
   * @param op the node's op
   * @param fused the node paths computed by the step, in order (the path alone unless fused)
   */
  public record Tag(Exchange exchange, String path, String op, ArrayList<String> fused)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A tag for one node. */
    static Tag of(Exchange ex, String path, String op) {
      return new Tag(ex, path, op, new ArrayList<>(List.of(path)));
    }
  }

  /** Wall-clock microseconds since the epoch. */
  static long now() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  /** Records one task of {@code tag} that started at {@code start} and ends now. */
  static void record(
      Tag tag,
      long chunk,
      long start,
      long elementsIn,
      long elementsOut,
      long bytesIn,
      long bytesOut) {
    long end = Math.max(start, now());
    Distribution d = Metrics.distribution(NAMESPACE, tag.path());
    d.update(end - start);
    String thread = threadName(Thread.currentThread());
    String line =
        String.join(
            "\t",
            tag.path(),
            tag.op(),
            Long.toString(chunk),
            worker(tag.exchange()),
            thread,
            Long.toString(start),
            Long.toString(end),
            String.join(",", tag.fused()),
            Long.toString(elementsIn),
            Long.toString(elementsOut),
            Long.toString(bytesIn),
            Long.toString(bytesOut));
    PENDING.computeIfAbsent(tag.exchange().dir(), k -> new ConcurrentLinkedQueue<>()).add(line);
  }

  /**
   * A thread's name for timeline lanes: Flink names task threads after their whole operator chain
   * ("Source: … -> … (1/2)#0"), which is shortened to its start and subtask; the thread id is added
   * so that lanes stay one per thread.
   */
  static String threadName(Thread t) {
    String name = t.getName().replace('\t', ' ').replace('\n', ' ');
    if (name.length() <= 48) {
      return name + " [thread " + t.getId() + "]"; // DirectRunner's threads share one name
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\(\\d+/\\d+\\)(#\\d+)?)$").matcher(name);
    String subtask = m.find() ? " " + m.group(1) : "";
    return name.substring(0, 32).trim() + "…" + subtask + " [thread " + t.getId() + "]";
  }

  /**
   * Records, from the client, one iteration of a loop driven job by job: a container span on the
   * lane {@code "<loop path> iterations"} (as the local runner records iterations), written at
   * once.
   */
  static void recordIteration(Tag loop, long iteration, long start) {
    long end = Math.max(start, now());
    String line =
        String.join(
            "\t",
            loop.path(),
            loop.op(),
            Long.toString(iteration),
            loop.exchange().runner(),
            loop.path() + " iterations",
            Long.toString(start),
            Long.toString(end),
            "",
            "0",
            "0",
            "0",
            "0");
    PENDING.computeIfAbsent(loop.exchange().dir(), k -> new ConcurrentLinkedQueue<>()).add(line);
    flush(loop.exchange());
  }

  /** The name of this worker process: the runner's name in the client's process. */
  private static String worker(Exchange ex) {
    long pid = ProcessHandle.current().pid();
    if (pid == ex.clientPid()) {
      return ex.runner();
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return "taskmanager " + pid + "@" + host;
  }

  /** Writes this process's pending span lines of the run to a new log file. */
  static void flush(Exchange ex) {
    ConcurrentLinkedQueue<String> q = PENDING.get(ex.dir());
    if (q == null || q.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (String line = q.poll(); line != null; line = q.poll()) {
      b.append(line).append('\n');
    }
    if (b.length() == 0) {
      return;
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    java.nio.file.Path f =
        ex.spans().resolve(ProcessHandle.current().pid() + "-" + LOGS.incrementAndGet() + ".tsv");
    try {
      Exchange.atomically(f, out -> out.write(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write span log " + f + ": " + e, e);
    }
  }
}
