package org.jetlag.editor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetlag.arrow.NdArray;

/**
 * A glance at one output of a run: type, shape, summary statistics, and a downsampled series (1-D)
 * or grid (2-D) for a chart or heatmap. Computed from the array once, so the run's memory can be
 * freed.
 *
 * @param name the graph output's name
 * @param dtype the element type
 * @param shape the shape as text ({@code [300, 2]})
 * @param size the number of elements
 * @param min the smallest element (NaN when empty)
 * @param max the largest element
 * @param mean the mean
 * @param series for 1-D arrays, at most {@link #MAX_POINTS} evenly spaced values
 * @param grid for 2-D arrays, at most {@link #MAX_CELLS} by {@link #MAX_CELLS} evenly spaced values
 */
public record OutputPreview(
    String name,
    String dtype,
    String shape,
    long size,
    double min,
    double max,
    double mean,
    Optional<List<Double>> series,
    Optional<Grid> grid) {
  /** Most points of a series. */
  public static final int MAX_POINTS = 1000;

  /** Most rows and columns of a grid. */
  public static final int MAX_CELLS = 200;

  /** Most elements scanned for the statistics; larger arrays are sampled evenly. */
  public static final long MAX_SCAN = 20_000_000;

  /**
   * A downsampled 2-D array.
   *
   * @param rows the rows kept
   * @param cols the columns kept
   * @param values row-major values, rows * cols of them
   */
  public record Grid(int rows, int cols, List<Double> values) {
    /** Checks the size and copies. */
    public Grid {
      values = List.copyOf(values);
      if (values.size() != rows * cols) {
        throw new IllegalArgumentException(
            "expected " + rows * cols + " values, got " + values.size());
      }
    }

    /** The value at row r, column c. */
    public double at(int r, int c) {
      return values.get(r * cols + c);
    }
  }

  /** The preview of an output array (read, not closed). */
  public static OutputPreview of(String name, NdArray a) {
    long n = a.size();
    long step = Math.max(1, (n + MAX_SCAN - 1) / MAX_SCAN);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    long count = 0;
    for (long i = 0; i < n; i += step) {
      double v = a.getDouble(i);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      count++;
    }
    Optional<List<Double>> series = Optional.empty();
    Optional<Grid> grid = Optional.empty();
    if (a.shape().rank() == 1 && n > 0) {
      List<Double> l = new ArrayList<>();
      long k = Math.min(n, MAX_POINTS);
      for (long i = 0; i < k; i++) {
        l.add(a.getDouble(i * n / k));
      }
      series = Optional.of(l);
    } else if (a.shape().rank() == 2 && n > 0) {
      long rows = a.shape().dim(0);
      long cols = a.shape().dim(1);
      int r = (int) Math.min(rows, MAX_CELLS);
      int c = (int) Math.min(cols, MAX_CELLS);
      List<Double> l = new ArrayList<>();
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < c; j++) {
          l.add(a.getDouble((i * rows / r) * cols + j * cols / c));
        }
      }
      grid = Optional.of(new Grid(r, c, l));
    }
    return new OutputPreview(
        name,
        a.dtype().wireName(),
        a.shape().toString(),
        n,
        count == 0 ? Double.NaN : min,
        count == 0 ? Double.NaN : max,
        count == 0 ? Double.NaN : sum / count,
        series,
        grid);
  }

  /** One line: {@code float64[300,2] min … max … mean …}. */
  public String summary() {
    return dtype + shape + "  min " + num(min) + "  max " + num(max) + "  mean " + num(mean);
  }

  private static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
