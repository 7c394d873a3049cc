package org.jetlag.kernels;

import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.OpKind.SortFn;

/**
 * Sorting along one axis, as {@code np.sort} and {@code np.argsort(kind='stable')}: ascending, NaN
 * last, equal keys (including -0.0 and 0.0) in their original order. Stateless and thread-safe.
 */
public final class Sorting {
  private Sorting() {}

  /** Dispatches on {@code fn}: the sorted values, or the int64 indices that sort. */
  public static Block apply(SortFn fn, Block x, Shape s, int axis) {
    return switch (fn) {
      case SORT -> sort(x, s, axis);
      case ARGSORT -> argsort(x, s, axis);
    };
  }

  /** {@code x} sorted along {@code axis}, same dtype. */
  public static Block sort(Block x, Shape s, int axis) {
    Block idx = argsort(x, s, axis);
    Block out = Block.allocate(x.dtype(), x.length());
    int[] lay = layout(s, axis);
    int outer = lay[0];
    int len = lay[1];
    int inner = lay[2];
    long[] ix = idx.longs();
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        for (int k = 0; k < len; k++) {
          int dst = base + k * inner;
          int src = base + (int) ix[dst] * inner;
          if (x.doubles() != null) {
            out.doubles()[dst] = x.doubles()[src];
          } else {
            out.longs()[dst] = x.longs()[src];
          }
        }
      }
    }
    return out;
  }

  /** The int64 indices along {@code axis} that sort {@code x} stably. */
  public static Block argsort(Block x, Shape s, int axis) {
    int[] lay = layout(s, axis);
    int outer = lay[0];
    int len = lay[1];
    int inner = lay[2];
    Block out = Block.allocate(DType.INT64, x.length());
    int[] perm = new int[len];
    int[] tmp = new int[len];
    double[] dk = new double[len];
    long[] lk = new long[len];
    boolean fl = x.doubles() != null;
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        for (int k = 0; k < len; k++) {
          perm[k] = k;
          if (fl) {
            dk[k] = x.doubles()[base + k * inner];
          } else {
            lk[k] = x.longs()[base + k * inner];
          }
        }
        mergeSort(perm, tmp, 0, len, fl ? dk : null, lk);
        for (int k = 0; k < len; k++) {
          out.longs()[base + k * inner] = perm[k];
        }
      }
    }
    return out;
  }

  private static int[] layout(Shape s, int axis) {
    long outer = 1;
    long inner = 1;
    for (int k = 0; k < s.rank(); k++) {
      if (k < axis) {
        outer *= s.dim(k);
      } else if (k > axis) {
        inner *= s.dim(k);
      }
    }
    return new int[] {Math.toIntExact(outer), Math.toIntExact(s.dim(axis)), Math.toIntExact(inner)};
  }

  /** Stable merge sort of the indices in perm[lo, hi) by key. */
  private static void mergeSort(int[] perm, int[] tmp, int lo, int hi, double[] dk, long[] lk) {
    if (hi - lo < 2) {
      return;
    }
    if (hi - lo <= 16) {
      for (int i = lo + 1; i < hi; i++) {
        int p = perm[i];
        int j = i - 1;
        while (j >= lo && less(p, perm[j], dk, lk)) {
          perm[j + 1] = perm[j];
          j--;
        }
        perm[j + 1] = p;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(perm, tmp, lo, mid, dk, lk);
    mergeSort(perm, tmp, mid, hi, dk, lk);
    if (!less(perm[mid], perm[mid - 1], dk, lk)) {
      return;
    }
    System.arraycopy(perm, lo, tmp, lo, hi - lo);
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      if (j >= hi || (i < mid && !less(tmp[j], tmp[i], dk, lk))) {
        perm[k] = tmp[i++];
      } else {
        perm[k] = tmp[j++];
      }
    }
  }

  /** key[p] strictly before key[q]: NaN after every number. */
  private static boolean less(int p, int q, double[] dk, long[] lk) {
    if (dk == null) {
      return lk[p] < lk[q];
    }
    double a = dk[p];
    double b = dk[q];
    return a < b || (!Double.isNaN(a) && Double.isNaN(b));
  }
}
