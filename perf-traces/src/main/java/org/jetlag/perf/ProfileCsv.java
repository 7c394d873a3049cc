package org.jetlag.perf;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;
import org.jetlag.perf.internal.TraceFacts;

/**
 * Writes the per-node profile of a trace as CSV (RFC 4180: comma-separated, CRLF line ends, fields
 * with commas, quotes or line breaks quoted), one row per node in the trace's order.
 *
 * <p>Columns: {@value #HEADER}. Times in milliseconds ({@code total_ms}, {@code self_ms}) or
 * microseconds (task times), {@code share_pct} the node's total time as a percentage of all task
 * time; numbers use {@code .} as the decimal point in every locale.
 */
public final class ProfileCsv {
  /** The header row. */
  public static final String HEADER =
      "node,op,calls,total_ms,self_ms,share_pct,min_us,median_us,max_us,mean_us,"
          + "elements_in,elements_out,bytes_in,bytes_out";

  private ProfileCsv() {}

  /** Writes the profile to a file atomically (a temporary file, then a rename). */
  public static void write(Trace t, Path file) {
    AtomicFiles.write(file, w -> write(t, w));
  }

  /** Writes the profile; flushes but does not close the writer. */
  public static void write(Trace t, Writer out) throws IOException {
    TraceFacts f = new TraceFacts(t);
    BufferedWriter w = new BufferedWriter(out, 1 << 14);
    w.write(HEADER);
    w.write("\r\n");
    for (NodeProfile n : t.nodes()) {
      w.write(field(n.nodeId()));
      w.write(',');
      w.write(field(n.op()));
      w.write(',');
      w.write(Long.toString(n.calls()));
      w.write(',');
      w.write(num("%.3f", n.totalNanos() / 1e6));
      w.write(',');
      w.write(num("%.3f", n.selfNanos() / 1e6));
      w.write(',');
      w.write(num("%.2f", 100 * f.share(n.totalNanos())));
      w.write(',');
      w.write(num("%.1f", n.minNanos() / 1e3));
      w.write(',');
      w.write(num("%.1f", n.medianNanos() / 1e3));
      w.write(',');
      w.write(num("%.1f", n.maxNanos() / 1e3));
      w.write(',');
      w.write(num("%.1f", n.meanNanos() / 1e3));
      w.write(',');
      w.write(Long.toString(n.elementsIn()));
      w.write(',');
      w.write(Long.toString(n.elementsOut()));
      w.write(',');
      w.write(Long.toString(n.bytesIn()));
      w.write(',');
      w.write(Long.toString(n.bytesOut()));
      w.write("\r\n");
    }
    w.flush();
  }

  /** A field quoted if it holds a comma, a quote or a line break (quotes doubled). */
  static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static String num(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }
}
