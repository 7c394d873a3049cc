package org.jetlag.perf.internal;

import java.util.Locale;

/** The report's colours: a heat scale for shares of time and a palette for telling nodes apart. */
public final class Colors {
  /** Colours of the nodes with the most time, in that order (colour-blind-aware, Tableau 10). */
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#a0cbe8"
  };

  /** The colour of the nodes beyond the palette. */
  public static final String OTHER = "#bab0ac";

  /** Heat stops from no time to the most time (ColorBrewer YlOrRd). */
  private static final int[][] HEAT = {
    {0xff, 0xff, 0xcc},
    {0xfe, 0xd9, 0x76},
    {0xfd, 0x8d, 0x3c},
    {0xe3, 0x1a, 0x1c},
    {0x80, 0x00, 0x26}
  };

  private Colors() {}

  /** How many nodes get a colour of their own. */
  public static int paletteSize() {
    return PALETTE.length;
  }

  /** The palette colour of the i-th node by time, or {@link #OTHER}. */
  public static String node(int rank) {
    return rank >= 0 && rank < PALETTE.length ? PALETTE[rank] : OTHER;
  }

  /** The heat colour of a value in [0, 1]. */
  public static String heat(double v) {
    double x = Math.max(0, Math.min(1, v)) * (HEAT.length - 1);
    int i = Math.min(HEAT.length - 2, (int) Math.floor(x));
    double f = x - i;
    int[] a = HEAT[i];
    int[] b = HEAT[i + 1];
    return String.format(
        Locale.ROOT,
        "#%02x%02x%02x",
        Math.round(a[0] + f * (b[0] - a[0])),
        Math.round(a[1] + f * (b[1] - a[1])),
        Math.round(a[2] + f * (b[2] - a[2])));
  }

  /**
   * Where a time falls on the heat scale: the square root of its fraction of the largest, so that
   * one dominant node leaves the others distinguishable.
   */
  public static double heatPosition(long nanos, long maxNanos) {
    return maxNanos <= 0 ? 0 : Math.sqrt(Math.max(0, (double) nanos / maxNanos));
  }

  /** Whether text on the heat colour of {@code v} should be white. */
  public static boolean darkHeat(double v) {
    return v > 0.62;
  }
}
