package org.jetlag.kernels;

import org.jetlag.graph.ops.Ops;

/** Small shared helpers for kernel messages. */
final class Ops2 {
  private Ops2() {}

  /** The op's wire name, as users see it in messages. */
  static String name(Enum<?> fn) {
    return Ops.wireName(fn);
  }
}
