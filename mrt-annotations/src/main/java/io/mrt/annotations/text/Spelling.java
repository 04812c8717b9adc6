package io.mrt.annotations.text;

/**
 * The "did you mean" of every error message that names an unknown word (an op, a CVM operator, a
 * config key, a data set): the Levenshtein distance and the nearest candidate.
 *
 * <p>It lives in mrt-annotations, a module without dependencies, because that is the one module
 * both the annotation processor (which depends on nothing else at compile time) and the runtime
 * reach.
 */
public final class Spelling {
  private Spelling() {}

  /** The Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * The candidate nearest to {@code word}, the first in iteration order on a tie, if it is at most
   * {@code maxDistance} edits away; else {@code null}.
   */
  public static String closest(String word, Iterable<String> candidates, int maxDistance) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= maxDistance ? best : null;
  }
}
