package org.jetlag.runner.beam.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jetlag.runner.beam.ChunkData;

/** Where in-process runs leave their output chunks for the driver. */
public final class Outputs {
  private static final Map<String, Map<String, ConcurrentSkipListMap<Long, ChunkData>>> RUNS =
      new ConcurrentHashMap<>();

  private Outputs() {}

  static void put(String runId, String name, ChunkData c) {
    RUNS.computeIfAbsent(runId, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(name, k -> new ConcurrentSkipListMap<>())
        .put(c.rowStart(), c);
  }

  /** Takes (and forgets) the chunks of a run's output, by first row. */
  public static ConcurrentSkipListMap<Long, ChunkData> take(String runId, String name) {
    Map<String, ConcurrentSkipListMap<Long, ChunkData>> m = RUNS.get(runId);
    ConcurrentSkipListMap<Long, ChunkData> c = m == null ? null : m.get(name);
    return c == null ? new ConcurrentSkipListMap<>() : c;
  }

  /** Forgets a run. */
  public static void clear(String runId) {
    RUNS.remove(runId);
  }
}
