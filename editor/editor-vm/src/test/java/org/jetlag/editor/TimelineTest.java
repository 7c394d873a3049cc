package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jetlag.graph.Graph;
import org.jetlag.perf.Phase;
import org.jetlag.perf.RunInfo;
import org.jetlag.perf.Span;
import org.jetlag.perf.Trace;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static Trace trace(List<Phase> phases) {
    List<Span> spans =
        List.of(
            new Span(1, "b", "add", 0, "taskmanager 7@h", "t1", 500, 900, 0, List.of("b")),
            new Span(2, "a", "mul", 1, "taskmanager 7@h", "t2", 200, 400, 0, List.of("a")));
    return new Trace(
        new RunInfo("g", "0", "flink[local]", 2, 0, 1000, "test"),
        Graph.of("g", "", List.of(), List.of()),
        List.of(),
        spans,
        List.of(),
        0,
        phases);
  }

  @Test
  void aTraceWithPhasesGetsAClientLaneFirstWhoseBarsNameThePhases() {
    Timeline t =
        Timeline.of(
            trace(
                List.of(
                    new Phase("prepare (stage inputs, lower)", 0, 150),
                    new Phase("job 1 (submit and run on flink[local])", 150, 1200))));
    assertThat(t.lanes()).hasSize(3);
    Timeline.Lane client = t.lanes().get(0);
    assertThat(client.client()).isTrue();
    assertThat(client.name()).isEqualTo("client");
    assertThat(client.bars())
        .extracting(Timeline.Bar::key)
        .containsExactly("prepare (stage inputs, lower)", "job 1 (submit and run on flink[local])");
    assertThat(client.bars()).allMatch(b -> b.op().equals(Timeline.PHASE_OP));
    assertThat(t.lanes().subList(1, 3)).noneMatch(Timeline.Lane::client);
    assertThat(t.barCount()).as("tasks, not phases").isEqualTo(2);
    // the x range covers the last phase, which outlasts the tasks and the recorded wall time
    assertThat(t.endMicros()).isEqualTo(1200);
    assertThat(t.barAt(0, 600, 0).orElseThrow().key()).startsWith("job 1");
  }

  @Test
  void aTraceWithoutPhasesHasOnlyWorkerLanes() {
    Timeline t = Timeline.of(trace(List.of()));
    assertThat(t.lanes()).hasSize(2).noneMatch(Timeline.Lane::client);
    assertThat(t.barCount()).isEqualTo(2);
    assertThat(t.endMicros()).isEqualTo(1000);
  }
}
