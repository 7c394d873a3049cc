package org.jetlag.graph;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Finds the name a user probably meant, for "did you mean" hints in messages. */
public final class Names {
  private Names() {}

  /**
   * The name closest to {@code given} within an edit distance of two (ignoring case); the first
   * such name wins a tie, so the answer is stable for a stable list.
   */
  public static Optional<String> closest(String given, List<String> names) {
    String g = given.toLowerCase(Locale.ROOT);
    String best = null;
    int bestD = 3;
    for (String n : names) {
      int d = distance(g, n.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = n;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
