package org.jetlag.runner.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.graph.TypedGraph;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.Runner;
import org.jetlag.runner.local.internal.Execution;

/**
 * The default runner: an asynchronous scheduler of futures over chunks on an injected executor.
 *
 * <p>Per chunk, chains of elementwise ops are fused into one pass; reductions compute a partial per
 * chunk and combine the partials in a balanced tree ordered by chunk index; independent branches
 * run at the same time; each chunk is freed when its last consumer is done. Chunk boundaries depend
 * on the array shapes and the chunk size, never on the thread count, so the results are the same
 * for any number of threads.
 *
 * <p>Thread-safe: several runs may share one runner.
 */
public final class LocalRunner implements Runner, AutoCloseable {
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final int threads;
  private final BufferAllocator allocator;
  private final boolean ownsAllocator;

  private LocalRunner(
      ExecutorService executor,
      boolean ownsExecutor,
      int threads,
      BufferAllocator allocator,
      boolean ownsAllocator) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.ownsExecutor = ownsExecutor;
    this.threads = threads;
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.ownsAllocator = ownsAllocator;
  }

  /**
   * A runner on the caller's executor and allocator, which the caller keeps and closes.
   *
   * @param threads the executor's parallelism, reported in profiles
   */
  public static LocalRunner create(
      ExecutorService executor, int threads, BufferAllocator allocator) {
    return new LocalRunner(executor, false, threads, allocator, false);
  }

  /**
   * A runner with its own pool of {@code threads} workers and its own allocator limited to {@code
   * memoryLimitBytes}; {@link #close()} shuts both down.
   */
  public static LocalRunner withThreads(int threads, long memoryLimitBytes) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    java.util.concurrent.atomic.AtomicInteger seq = new java.util.concurrent.atomic.AtomicInteger();
    ForkJoinPool pool =
        new ForkJoinPool(
            threads,
            p -> {
              var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
              // the pool index is not assigned yet here: number the workers ourselves
              t.setName("jetlag-worker-" + seq.getAndIncrement());
              t.setDaemon(true);
              return t;
            },
            null,
            true);
    return new LocalRunner(pool, true, threads, Allocators.root(memoryLimitBytes), true);
  }

  /** A runner with one worker per core and no memory limit beyond the JVM's. */
  public static LocalRunner withDefaults() {
    return withThreads(Runtime.getRuntime().availableProcessors(), Long.MAX_VALUE);
  }

  @Override
  public String name() {
    return "local";
  }

  /** The number of worker threads. */
  public int threads() {
    return threads;
  }

  @Override
  public RunHandle start(TypedGraph graph, RunRequest request) {
    Execution e = new Execution(graph, request, executor, threads, allocator, name());
    CompletableFuture<RunResult> result = e.start();
    return new RunHandle() {
      @Override
      public CompletableFuture<RunResult> result() {
        return result;
      }

      @Override
      public void cancel() {
        e.cancel();
      }
    };
  }

  /**
   * Runs to completion and returns the result.
   *
   * @throws org.jetlag.runner.RunFailure naming the node when the run fails
   */
  public RunResult run(TypedGraph graph, RunRequest request) {
    return Execution.join(start(graph, request).result());
  }

  /** Live bytes per allocator, for tests and diagnostics. */
  public Map<String, Long> memory() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(allocator.getName(), allocator.getAllocatedMemory());
    return m;
  }

  @Override
  public void close() {
    if (ownsExecutor) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (ownsAllocator) {
      allocator.close();
    }
  }
}
