package org.jetlag.runner.local.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every chunk a run holds, so a failed or cancelled run can free what its tasks never released. */
final class LiveSet {
  private final Set<Ref> refs = ConcurrentHashMap.newKeySet();

  void add(Ref r) {
    refs.add(r);
  }

  void remove(Ref r) {
    refs.remove(r);
  }

  /** Frees every chunk still held. */
  void freeAll() {
    List<Ref> l = new ArrayList<>(refs);
    for (Ref r : l) {
      r.forceFree();
    }
  }
}
