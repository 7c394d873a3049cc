package org.jetlag.runner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jetlag.arrow.NdArray;
import org.jetlag.perf.RunProfile;
import org.jetlag.perf.Trace;

/**
 * The outputs of a finished run and what it cost. Owns the output arrays: close it to free them.
 */
public final class RunResult implements AutoCloseable {
  private final Map<String, NdArray> outputs;
  private final Supplier<Trace> traceSource;
  private volatile Trace trace;
  private final AutoCloseable onClose;

  /** A result owning the outputs; {@code onClose} runs after they are closed. */
  public RunResult(Map<String, NdArray> outputs, Trace trace, AutoCloseable onClose) {
    this(outputs, () -> trace, onClose);
    Objects.requireNonNull(trace, "trace");
  }

  /**
   * A result whose trace is assembled on first use (sorting a million spans costs time the run
   * itself should not be charged).
   */
  public RunResult(Map<String, NdArray> outputs, Supplier<Trace> trace, AutoCloseable onClose) {
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    this.traceSource = Objects.requireNonNull(trace);
    this.onClose = Objects.requireNonNull(onClose);
  }

  /** The outputs by graph output name, in graph order. */
  public Map<String, NdArray> outputs() {
    return outputs;
  }

  /** The named output. */
  public NdArray output(String name) {
    NdArray a = outputs.get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          "no output named '" + name + "'; outputs are " + outputs.keySet());
    }
    return a;
  }

  /** Per-node time and calls: the summary of {@link #trace()}. */
  public RunProfile profile() {
    return trace().profile();
  }

  /** Everything measured: run metadata, node profiles, task spans and counters. */
  public Trace trace() {
    Trace t = trace;
    if (t == null) {
      synchronized (this) {
        t = trace;
        if (t == null) {
          t = Objects.requireNonNull(traceSource.get(), "trace");
          trace = t;
        }
      }
    }
    return t;
  }

  /** Frees the output arrays. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (NdArray a : outputs.values()) {
      try {
        a.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    try {
      onClose.close();
    } catch (Exception e) {
      if (first == null) {
        first = new IllegalStateException("closing run resources failed: " + e.getMessage(), e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
