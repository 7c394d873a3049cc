package org.jetlag.editor.fx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.RunnerChoice;
import org.jetlag.editor.fx.internal.ElkLayouter;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.Runner;

/**
 * The editor's two benchmarks, as a plain main (run by {@code benchmarks/editor/run.sh}, never as a
 * timed unit test): (1) a 500-node graph without positions opened, validated, laid out by ELK and
 * drawn; (2) a run streaming 100k node events from two threads while the UI thread's stall (the
 * delay of a probe posted every 2 ms, and the gap between frames) is measured.
 */
public final class EditorBenchmark {
  private EditorBenchmark() {}

  /** The longest task the view model ran on the UI thread. */
  static final AtomicLong MAX_UI_TASK = new AtomicLong();

  /** Producers pause {@link #PACE_NANOS} every this many events (0: never; -Dpace.every). */
  static final int PACE_EVERY = Integer.getInteger("pace.every", 100);

  static final long PACE_NANOS = 50_000;

  /** How many tasks the view model posted to the UI thread. */
  static final AtomicLong UI_TASKS = new AtomicLong();

  /** A seeded random layered graph of {@code n} nodes: inputs, unary and binary ops, outputs. */
  static Graph randomGraph(int n, long seed) {
    Random r = new Random(seed);
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    List<String> live = new ArrayList<>();
    int inputs = 10;
    int outputs = 10;
    for (int i = 0; i < inputs; i++) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", "x" + i);
      p.put("shape", Arrays.asList(null, 16L));
      nodes.add(Node.of("x" + i, "input", p));
      live.add("x" + i);
    }
    String[] unary = {"sin", "exp", "tanh", "square", "abs"};
    String[] binary = {"add", "sub", "mul", "maximum"};
    for (int i = 0; i < n - inputs - outputs; i++) {
      String id = "n" + i;
      if (r.nextBoolean()) {
        nodes.add(Node.of(id, unary[r.nextInt(unary.length)], Map.of()));
        edges.add(Edge.of(pick(live, r) + ":out", id + ":x"));
      } else {
        nodes.add(Node.of(id, binary[r.nextInt(binary.length)], Map.of()));
        edges.add(Edge.of(pick(live, r) + ":out", id + ":a"));
        edges.add(Edge.of(pick(live, r) + ":out", id + ":b"));
      }
      live.add(id);
    }
    for (int i = 0; i < outputs; i++) {
      nodes.add(Node.of("y" + i, "output", Map.of("name", "y" + i)));
      edges.add(Edge.of(live.get(live.size() - 1 - i) + ":out", "y" + i + ":x"));
    }
    return Graph.of("random" + n, "benchmark graph", nodes, edges);
  }

  private static String pick(List<String> live, Random r) {
    // mostly recent nodes, so the graph is deep as well as wide
    int k = Math.min(live.size(), 40);
    return live.get(live.size() - 1 - r.nextInt(k));
  }

  /** Runs the benchmarks and prints one line per figure. */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("jetlag-editor-bench");
    Path file = dir.resolve("random500.json");
    GraphJson.write(randomGraph(500, 42), file);

    for (int i = 0; i < 3; i++) {
      long a = System.nanoTime();
      Graph g = GraphJson.read(file);
      long b = System.nanoTime();
      org.jetlag.graph.Validation.validate(g);
      long c = System.nanoTime();
      org.jetlag.editor.PortTypes pt = org.jetlag.editor.PortTypes.of(g);
      long d = System.nanoTime();
      new ElkLayouter().layout(g, pt);
      long e = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "parts: read %.0f ms, validate %.0f ms, port types %.0f ms, ELK %.0f ms%n",
          (b - a) / 1e6,
          (c - b) / 1e6,
          (d - c) / 1e6,
          (e - d) / 1e6);
    }
    CompletableFuture<Stage> stageReady = new CompletableFuture<>();
    Platform.startup(() -> stageReady.complete(new Stage()));
    Stage stage = stageReady.get(30, TimeUnit.SECONDS);
    ExecutorService background = Executors.newSingleThreadExecutor();
    StreamingRunner streaming = new StreamingRunner(100_000);
    CompletableFuture<EditorViewModel> vmf = new CompletableFuture<>();
    CompletableFuture<MainWindow> wf = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          EditorViewModel vm =
              new EditorViewModel(
                  new EditorViewModel.Services(
                      new ScriptedDialogs(),
                      task ->
                          Platform.runLater(
                              () -> {
                                long a = System.nanoTime();
                                task.run();
                                MAX_UI_TASK.accumulateAndGet(System.nanoTime() - a, Math::max);
                                UI_TASKS.incrementAndGet();
                              }),
                      background,
                      List.of(new RunnerChoice("streaming", () -> streaming)),
                      new ElkLayouter(),
                      dir.resolve("state")));
          MainWindow w = new MainWindow(vm);
          stage.setScene(new Scene(w.root(), 1280, 800));
          stage.show();
          vmf.complete(vm);
          wf.complete(w);
        });
    EditorViewModel vm = vmf.get(30, TimeUnit.SECONDS);
    MainWindow w = wf.get(30, TimeUnit.SECONDS);

    // warm-up (class loading, JIT), then the measured opens
    for (int round = 0; round < 4; round++) {
      long[] t = new long[3];
      CountDownLatch drawn = new CountDownLatch(1);
      Platform.runLater(
          () -> {
            vm.newDocument();
            t[0] = System.nanoTime();
            vm.open(file);
            t[1] = System.nanoTime();
            w.fit();
            // the next pulse has laid out and drawn the canvas
            Platform.runLater(
                () -> {
                  t[2] = System.nanoTime();
                  drawn.countDown();
                });
          });
      if (!drawn.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("open did not finish in 60 s");
      }
      System.out.printf(
          Locale.ROOT,
          "%s open+validate+ELK layout of 500 nodes: %.0f ms; with the canvas drawn: %.0f ms (%d"
              + " nodes, %d edges)%n",
          round == 0 ? "cold " : "warm ",
          (t[1] - t[0]) / 1e6,
          (t[2] - t[0]) / 1e6,
          vm.document().current().nodes().size(),
          vm.document().current().edges().size());
    }

    // the run: 100k node events as fast as two threads can send them
    Platform.runLater(() -> vm.apply(org.jetlag.editor.Document.of(smallGraph())));
    AtomicLong maxProbe = new AtomicLong();
    AtomicLong probes = new AtomicLong();
    AtomicLong frames = new AtomicLong();
    AtomicLong maxFrameGap = new AtomicLong();
    AnimationTimer timer =
        new AnimationTimer() {
          long last;

          @Override
          public void handle(long now) {
            if (last != 0) {
              maxFrameGap.accumulateAndGet(now - last, Math::max);
            }
            last = now;
            frames.incrementAndGet();
          }
        };
    Platform.runLater(timer::start);
    Thread prober =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                long posted = System.nanoTime();
                Platform.runLater(
                    () -> {
                      maxProbe.accumulateAndGet(System.nanoTime() - posted, Math::max);
                      probes.incrementAndGet();
                    });
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    Thread.sleep(300);
    maxProbe.set(0);
    maxFrameGap.set(0);
    frames.set(0);
    prober.start();
    long t0 = System.nanoTime();
    MAX_UI_TASK.set(0);
    UI_TASKS.set(0);
    long[] runCall = new long[1];
    Platform.runLater(
        () -> {
          long a = System.nanoTime();
          vm.run();
          runCall[0] = System.nanoTime() - a;
        });
    streaming.done.get(60, TimeUnit.SECONDS);
    long sent = System.nanoTime();
    vm.lastRun().get(60, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    Thread.sleep(100);
    prober.interrupt();
    prober.join(5000);
    Platform.runLater(timer::stop);
    System.out.printf(
        Locale.ROOT,
        "100k run events streamed in %.0f ms (run shown after %.0f ms); UI thread: worst probe"
            + " delay %.1f ms over %d probes, worst frame gap %.1f ms over %d frames%n",
        (sent - t0) / 1e6,
        (t1 - t0) / 1e6,
        maxProbe.get() / 1e6,
        probes.get(),
        maxFrameGap.get() / 1e6,
        frames.get());
    System.out.printf(
        Locale.ROOT,
        "  the UI thread: %.1f ms to start the run; %d hand-overs for the 200k events and progress"
            + " updates, the longest %.2f ms; load average %s%n",
        runCall[0] / 1e6,
        UI_TASKS.get(),
        MAX_UI_TASK.get() / 1e6,
        loadAverage());
    background.shutdown();
    background.awaitTermination(10, TimeUnit.SECONDS);
    Platform.exit();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static Graph smallGraph() {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    nodes.add(Node.of("a", "arange", Map.of("stop", 10L)));
    String prev = "a";
    for (int i = 0; i < 200; i++) {
      nodes.add(Node.of("s" + i, "sin", Map.of()));
      edges.add(Edge.of(prev + ":out", "s" + i + ":x"));
      prev = "s" + i;
    }
    nodes.add(Node.of("y", "output", Map.of("name", "y")));
    edges.add(Edge.of(prev + ":out", "y:x"));
    return Graph.of("chain", "", nodes, edges);
  }

  /** A runner that only streams events: {@code count} node events from two threads, then fails. */
  static final class StreamingRunner implements Runner {
    final int count;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    StreamingRunner(int count) {
      this.count = count;
    }

    @Override
    public String name() {
      return "streaming";
    }

    @Override
    public RunHandle start(TypedGraph graph, RunRequest request) {
      CompletableFuture<RunResult> result = new CompletableFuture<>();
      List<String> ids = graph.graph().nodes().stream().map(Node::id).toList();
      CountDownLatch both = new CountDownLatch(2);
      for (int t = 0; t < 2; t++) {
        int offset = t;
        Thread th =
            new Thread(
                () -> {
                  for (int i = offset; i < count; i += 2) {
                    String id = ids.get((i / 2) % ids.size());
                    request
                        .options()
                        .listener()
                        .onEvent(
                            i % 4 < 2
                                ? new RunEvent.NodeStarted(id)
                                : new RunEvent.NodeFinished(id, 1000));
                    request.options().listener().onEvent(new RunEvent.Progress(i, count));
                    if (PACE_EVERY > 0 && i % PACE_EVERY == offset) {
                      // a real run computes between events: give the core away now and then
                      java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
                    }
                  }
                  both.countDown();
                  if (both.getCount() == 0) {
                    done.complete(null);
                    result.completeExceptionally(
                        new IllegalStateException("streaming benchmark: no outputs"));
                  }
                });
        th.start();
      }
      return new RunHandle() {
        @Override
        public CompletableFuture<RunResult> result() {
          return result;
        }

        @Override
        public void cancel() {
          result.cancel(false);
        }
      };
    }
  }
}
