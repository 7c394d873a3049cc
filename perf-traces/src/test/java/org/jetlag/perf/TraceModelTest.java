package org.jetlag.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks every runner's trace must pass, here on seeded generated traces. */
class TraceModelTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void generatedTracesAreConsistent(long seed) {
    TraceChecks.assertConsistent(TraceGenerator.seeded(seed).generate());
    TraceChecks.assertConsistent(
        TraceGenerator.seeded(seed).withThreads(1).withNodes(2).withSpans(50).generate());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void chromeExportIsValid(long seed) throws IOException {
    Trace t = TraceGenerator.seeded(seed).generate();
    StringWriter w = new StringWriter();
    ChromeTrace.write(t, w);
    assertThat(TraceChecks.assertChromeValid(w.toString())).isEqualTo(t.spans().size());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void traceJsonRoundTrips(long seed, @TempDir Path dir) throws IOException {
    Trace t = TraceGenerator.seeded(seed).withDropped(seed == 3 ? 7 : 0).generate();
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    TraceJson.write(t, a);
    Trace back = TraceJson.read(a);
    assertThat(back).isEqualTo(t);
    TraceJson.write(back, b);
    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
    TraceChecks.assertConsistent(back);
  }

  @org.junit.jupiter.api.Test
  void clientPhasesRoundTripAndExportOnTheirOwnRow(@TempDir Path dir) throws IOException {
    Trace g = TraceGenerator.seeded(5).generate();
    double wall = g.info().wallMicros();
    Trace t =
        new Trace(
            g.info(),
            g.graph(),
            g.nodes(),
            g.spans(),
            g.counters(),
            g.droppedSpans(),
            java.util.List.of(
                new Phase("prepare", 0, wall / 4),
                new Phase("job 1 (submit and run)", wall / 4, wall)));
    TraceChecks.assertConsistent(t);
    Path a = dir.resolve("p.json");
    TraceJson.write(t, a);
    assertThat(TraceJson.read(a)).isEqualTo(t);
    assertThat(TraceJson.read(a).phases())
        .extracting(Phase::name)
        .containsExactly("prepare", "job 1 (submit and run)");
    StringWriter w = new StringWriter();
    ChromeTrace.write(t, w);
    assertThat(TraceChecks.assertChromeValid(w.toString())).isEqualTo(t.spans().size() + 2);
    assertThat(w.toString()).contains("\"client (").contains("\"job 1 (submit and run)\"");
    // a trace without phases writes no phases field: local runners' files stay as they were
    StringWriter plain = new StringWriter();
    TraceJson.write(g, plain);
    assertThat(plain.toString()).doesNotContain("\"phases\"");
    // phases out of order are caught
    Trace bad =
        new Trace(
            g.info(),
            g.graph(),
            g.nodes(),
            g.spans(),
            g.counters(),
            0,
            java.util.List.of(new Phase("b", wall / 2, wall), new Phase("a", 0, wall / 2 + 1)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TraceChecks.assertConsistent(bad))
        .isInstanceOf(AssertionError.class);
  }

  @org.junit.jupiter.api.Test
  void theChecksCatchOverlapsAndUnknownNodes() {
    Trace t = TraceGenerator.seeded(1).withThreads(1).withSpans(10).generate();
    Span a = t.spans().get(0);
    Span overlap =
        new Span(
            99, a.nodeId(), a.op(), 0, a.worker(), a.thread(), a.start(), a.end(), 0, a.fused());
    Trace bad = new Trace(t.info(), t.graph(), t.nodes(), List.of(a, overlap), List.of(), 1);
    assertThatThrownBy(() -> TraceChecks.assertConsistent(bad)).hasMessageContaining("overlap");
    Span stranger = new Span(1, "nope/x", "sub", 0, "local", "w", 0, 1, 0, List.of("nope/x"));
    Trace unknown = new Trace(t.info(), t.graph(), List.of(), List.of(stranger), List.of(), 1);
    assertThatThrownBy(() -> TraceChecks.assertConsistent(unknown)).hasMessageContaining("nope/x");
    assertThatThrownBy(
            () ->
                TraceChecks.assertChromeValid(
                    "{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":1}]}"))
        .hasMessageContaining("process_name");
    assertThat(new String(new byte[0], StandardCharsets.UTF_8)).isEmpty();
  }
}
