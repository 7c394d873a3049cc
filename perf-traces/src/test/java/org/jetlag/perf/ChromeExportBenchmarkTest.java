package org.jetlag.perf;

import java.io.IOException;
import java.io.Writer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Export speed of a large trace; prints the time and asserts nothing (machines differ). */
@Tag("benchmark")
class ChromeExportBenchmarkTest {
  @Test
  void exportsAMillionSpansToChromeJson() throws IOException {
    Trace t = TraceGenerator.seeded(1).withSpans(1_000_000).withNodes(20).generate();
    CountingWriter w = new CountingWriter();
    ChromeTrace.write(t, w); // warm-up
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      w = new CountingWriter();
      long t0 = System.nanoTime();
      ChromeTrace.write(t, w);
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf(
        "Chrome export of 1,000,000 spans: %.0f ms (best of 3), %,d characters%n",
        best / 1e6, w.chars);
    long t0 = System.nanoTime();
    String html = HtmlReport.render(t);
    System.out.printf(
        "HTML report of 1,000,000 spans: %.0f ms, %,d characters%n",
        (System.nanoTime() - t0) / 1e6, html.length());
  }

  /** Discards the text, counting it, so the disk does not enter the figure. */
  private static final class CountingWriter extends Writer {
    long chars;

    @Override
    public void write(char[] cbuf, int off, int len) {
      chars += len;
    }

    @Override
    public void write(String s, int off, int len) {
      chars += len;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
