package org.jetlag.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdviceTest {
  private static final TraceGenerator BASE = TraceGenerator.seeded(11);

  @Test
  void aTypicalTraceGetsNoAdvice() {
    Trace t = BASE.generate();
    TraceChecks.assertConsistent(t);
    assertThat(Advice.of(t)).isEmpty();
  }

  @Test
  void smallTasksAskForLargerChunksAndSayHowMuch() {
    Trace t = BASE.withTaskMicros(20).generate();
    assertThat(Advice.of(t))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("median task takes")
        .contains("--chunk-size about 16×");
    assertThat(line(BASE.withTaskMicros(150).generate(), "median task")).isEmpty();
  }

  @Test
  void aDominantNodeIsNamedWithItsShare() {
    Trace t = handMade(Map.of("n1", 700.0, "n2", 200.0, "n3", 100.0));
    assertThat(line(t, "node 'n1'"))
        .hasSize(1)
        .first()
        .asString()
        .contains("70.0% of all task time");
    Trace even = handMade(Map.of("n1", 450.0, "n2", 350.0, "n3", 200.0));
    assertThat(line(even, "node ")).isEmpty();
  }

  @Test
  void idleWorkersAreNamed() {
    Trace t = BASE.withGapFraction(2.5).generate();
    assertThat(line(t, "workers were idle"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("worker-0")
        .contains("--chunk-size");
    assertThat(line(BASE.withGapFraction(0.2).generate(), "workers were idle")).isEmpty();
  }

  @Test
  void threadsThatRanNoTaskCountAsIdle() {
    Trace t = BASE.withThreads(2).generate();
    Trace more =
        new Trace(
            new RunInfo(
                t.info().graphName(),
                t.info().graphHash(),
                "local",
                4,
                t.info().startEpochMillis(),
                t.info().wallMicros(),
                "test"),
            t.graph(),
            t.nodes(),
            t.spans(),
            t.counters(),
            0);
    assertThat(line(more, "workers were idle"))
        .singleElement()
        .asString()
        .contains("2 threads ran no task");
  }

  @Test
  void memoryFarAboveTheInputIsReported() {
    Trace t = BASE.withMemoryRatio(3.1).generate();
    assertThat(line(t, "peak memory"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("peak memory 3.1× the input (198 MiB for 64 MiB of input): intermediates");
    assertThat(line(BASE.withMemoryRatio(1.9).generate(), "peak memory")).isEmpty();
  }

  @Test
  void droppedSpansAreReportedWithTheRemedy() {
    Trace t = BASE.withDropped(1234).generate();
    assertThat(line(t, "1,234 spans were dropped"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("withMaxSpans");
    assertThat(line(BASE.generate(), "spans were dropped")).isEmpty();
  }

  @Test
  void rulesComeInAFixedOrder() {
    Trace t =
        BASE.withTaskMicros(20).withGapFraction(3).withMemoryRatio(4).withDropped(5).generate();
    List<String> a = Advice.of(t);
    assertThat(a).hasSize(3);
    assertThat(a.get(0)).startsWith("median task");
    assertThat(a.get(1)).startsWith("peak memory");
    assertThat(a.get(2)).startsWith("5 spans were dropped");
    assertThat(Advice.of(t)).isEqualTo(a);
  }

  @Test
  void anEmptyTraceGetsNoAdvice() {
    Trace t = BASE.generate();
    Trace empty = new Trace(t.info(), t.graph(), List.of(), List.of(), List.of(), 0);
    assertThat(Advice.of(empty)).isEmpty();
  }

  @Test
  void anEngineWhoseJobsAreMostlyOverheadIsToldSoInsteadOfIdleWorkers() {
    Trace t = BASE.withThreads(2).generate();
    double wall = t.info().wallMicros();
    // the same tasks inside three jobs that last 40 times as long: the engine's own work
    Trace slow = onEngine(t, 40 * wall, 3);
    assertThat(Advice.of(slow))
        .filteredOn(a -> a.startsWith("flink[local] spent most of the run on its own work"))
        .singleElement()
        .asString()
        .contains("3 jobs took")
        .contains("a loop runs one job per iteration there")
        .contains("--runner local");
    assertThat(line(slow, "workers were idle")).isEmpty();
    assertThat(line(onEngine(t, 40 * wall, 1), "flink[local] spent"))
        .singleElement()
        .asString()
        .contains("1 job took")
        .contains("inputs far larger");
    // jobs that are mostly tasks get no such line
    assertThat(line(onEngine(t, wall, 1), "flink[local] spent")).isEmpty();
    // nor does a run without jobs (the local runner)
    assertThat(line(t, "flink[local] spent")).isEmpty();
  }

  /** {@code t}'s tasks in a run of {@code wall} µs on embedded Flink, as {@code jobs} jobs. */
  private static Trace onEngine(Trace t, double wall, int jobs) {
    List<Phase> phases = new ArrayList<>();
    phases.add(new Phase("prepare (stage inputs, lower)", 0, 0));
    double each = wall / jobs;
    for (int j = 0; j < jobs; j++) {
      phases.add(new Phase("job " + (j + 1) + " (submit and run)", j * each, (j + 1) * each));
    }
    RunInfo i = t.info();
    return new Trace(
        new RunInfo(
            i.graphName(),
            i.graphHash(),
            "flink[local]",
            i.threads(),
            i.startEpochMillis(),
            wall,
            i.jetlagVersion(),
            i.chunkBytes()),
        t.graph(),
        t.nodes(),
        t.spans(),
        t.counters(),
        0,
        phases);
  }

  private static List<String> line(Trace t, String prefix) {
    List<String> out = new ArrayList<>();
    for (String a : Advice.of(t)) {
      if (a.startsWith(prefix)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Two threads, back to back tasks of 250 µs each, the given µs per node. */
  static Trace handMade(Map<String, Double> micros) {
    TraceGenerator g = BASE.withNodes(3);
    List<Span> spans = new ArrayList<>();
    double[] free = new double[2];
    long id = 1;
    for (String node : new java.util.TreeMap<>(micros).keySet()) {
      double left = micros.get(node);
      while (left > 0) {
        int t = free[0] <= free[1] ? 0 : 1;
        double d = Math.min(250, left);
        spans.add(
            new Span(
                0, node, "sub", 0, "local", "worker-" + t, free[t], free[t] + d, 0, List.of(node)));
        free[t] += d;
        left -= d;
      }
    }
    spans.sort((a, b) -> Double.compare(a.start(), b.start()));
    List<Span> numbered = new ArrayList<>();
    for (Span s : spans) {
      numbered.add(
          new Span(
              id++,
              s.nodeId(),
              s.op(),
              s.chunk(),
              s.worker(),
              s.thread(),
              s.start(),
              s.end(),
              0,
              s.fused()));
    }
    Map<String, String> ops = new LinkedHashMap<>();
    for (String n : List.of("n1", "n2", "n3")) {
      ops.put(n, "sub");
    }
    double wall = Math.max(free[0], free[1]);
    Trace base = g.generate();
    return new Trace(
        new RunInfo("hand", "0", "local", 2, 0, wall, "test"),
        base.graph(),
        TraceGenerator.profiles(numbered, ops, new Random(1)),
        numbered,
        List.of(),
        0);
  }
}
