package org.jetlag.editor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jetlag.runner.RunEvent;
import org.junit.jupiter.api.Test;

class RunEventsTest {
  @Test
  void eventsFromManyThreadsReachTheUiInFewBatchesWithTheLatestStateOfEachNode() throws Exception {
    ConcurrentLinkedQueue<Runnable> uiQueue = new ConcurrentLinkedQueue<>();
    List<RunEvents.Batch> batches = new ArrayList<>();
    RunEvents events = new RunEvents(uiQueue::add, batches::add);
    int perThread = 50_000;
    CountDownLatch done = new CountDownLatch(2);
    for (int t = 0; t < 2; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  String node = "n" + id + "_" + (i % 100);
                  events.onEvent(
                      (i / 100) % 2 == 0
                          ? new RunEvent.NodeStarted(node)
                          : new RunEvent.NodeFinished(node, 1));
                  events.onEvent(new RunEvent.Progress(i, perThread));
                }
                done.countDown();
              });
      th.start();
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    // however many events arrived, the UI was asked once: nothing ran it yet
    assertThat(uiQueue).hasSize(1);
    Map<String, RunEvent> last = new LinkedHashMap<>();
    long total = 0;
    while (!uiQueue.isEmpty()) {
      uiQueue.poll().run();
    }
    for (RunEvents.Batch b : batches) {
      total += b.events();
      b.nodeEvents().forEach(e -> last.put(key(e), e));
    }
    assertThat(total).isEqualTo(4L * perThread);
    assertThat(last).hasSize(200);
    assertThat(last.values()).allMatch(e -> e instanceof RunEvent.NodeFinished);
  }

  @Test
  void aFailureIsNeverHiddenByALaterEventOfTheSameNode() {
    List<RunEvents.Batch> batches = new ArrayList<>();
    List<Runnable> ui = new ArrayList<>();
    RunEvents events = new RunEvents(ui::add, batches::add);
    events.onEvent(new RunEvent.NodeFailed("a", "boom"));
    events.onEvent(new RunEvent.NodeFinished("a", 5));
    ui.forEach(Runnable::run);
    assertThat(batches.get(0).nodeEvents()).containsExactly(new RunEvent.NodeFailed("a", "boom"));
  }

  private static String key(RunEvent e) {
    return e.toString().replaceAll(".*nodeId=([^,\\]]*).*", "$1");
  }
}
