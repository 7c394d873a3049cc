package org.jetlag.runner.local.internal;

import java.util.Arrays;
import org.jetlag.graph.Shape;

/**
 * How an array is split along axis 0: chunk {@code i} holds rows {@code [start(i), end(i))}. Every
 * array with the same leading length in a run shares one partition, so aligned arrays can be
 * combined chunk by chunk.
 */
final class Partition {
  private final long[] bounds;

  private Partition(long[] bounds) {
    this.bounds = bounds;
  }

  /** One chunk holding everything (scalars, small arrays). */
  static Partition single(long rows) {
    return new Partition(new long[] {0, rows});
  }

  /** {@code rows} split into chunks of {@code rowsPerChunk} (the last may be shorter). */
  static Partition of(long rows, long rowsPerChunk) {
    if (rows <= rowsPerChunk) {
      return single(rows);
    }
    int n = (int) ((rows + rowsPerChunk - 1) / rowsPerChunk);
    long[] b = new long[n + 1];
    for (int i = 0; i < n; i++) {
      b[i] = i * rowsPerChunk;
    }
    b[n] = rows;
    return new Partition(b);
  }

  /** The shape of chunk {@code i} of an array of shape {@code s}. */
  Shape chunkShape(Shape s, int i) {
    return s.withDim(0, rows(i));
  }

  int count() {
    return bounds.length - 1;
  }

  long start(int i) {
    return bounds[i];
  }

  long end(int i) {
    return bounds[i + 1];
  }

  long rows(int i) {
    return bounds[i + 1] - bounds[i];
  }

  long totalRows() {
    return bounds[bounds.length - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Partition && Arrays.equals(bounds, ((Partition) o).bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    return count() + " chunks of " + totalRows() + " rows";
  }
}
