package org.jetlag.runner;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run: chunk size, memory limit, timeout and who listens to progress. Immutable.
 *
 * @param chunkBytes target bytes per chunk along axis 0 (a few MB)
 * @param memoryLimitBytes the most memory the run's arrays may hold
 * @param timeout fails the run when exceeded; empty for none
 * @param listener receives run events on worker threads; must be quick and thread-safe
 * @param maxSpans the most task spans the trace keeps (0 keeps none); per-node profiles count every
 *     task regardless
 */
public record RunOptions(
    long chunkBytes,
    long memoryLimitBytes,
    Optional<Duration> timeout,
    RunListener listener,
    long maxSpans) {
  /** Default target chunk size: 4 MiB. */
  public static final long DEFAULT_CHUNK_BYTES = 4L << 20;

  /** Default span budget: two million spans (about 50 MB while recording). */
  public static final long DEFAULT_MAX_SPANS = 2_000_000;

  /** Validates. */
  public RunOptions {
    if (chunkBytes < 8) {
      throw new IllegalArgumentException("chunkBytes must be at least 8, got " + chunkBytes);
    }
    if (memoryLimitBytes <= 0) {
      throw new IllegalArgumentException("memoryLimitBytes must be positive");
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(listener, "listener");
    if (maxSpans < 0) {
      throw new IllegalArgumentException("maxSpans must not be negative, got " + maxSpans);
    }
  }

  /** 4 MiB chunks, no memory limit beyond the JVM's, no timeout, no listener. */
  public static RunOptions defaults() {
    return new RunOptions(
        DEFAULT_CHUNK_BYTES, Long.MAX_VALUE, Optional.empty(), e -> {}, DEFAULT_MAX_SPANS);
  }

  /** These options with another chunk size. */
  public RunOptions withChunkBytes(long bytes) {
    return new RunOptions(bytes, memoryLimitBytes, timeout, listener, maxSpans);
  }

  /** These options with a memory limit. */
  public RunOptions withMemoryLimit(long bytes) {
    return new RunOptions(chunkBytes, bytes, timeout, listener, maxSpans);
  }

  /** These options with a timeout. */
  public RunOptions withTimeout(Duration d) {
    return new RunOptions(chunkBytes, memoryLimitBytes, Optional.of(d), listener, maxSpans);
  }

  /** These options with a listener. */
  public RunOptions withListener(RunListener l) {
    return new RunOptions(chunkBytes, memoryLimitBytes, timeout, l, maxSpans);
  }

  /** These options with another span budget (0 records no spans). */
  public RunOptions withMaxSpans(long spans) {
    return new RunOptions(chunkBytes, memoryLimitBytes, timeout, listener, spans);
  }
}
