package org.jetlag.runner.local.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetlag.arrow.Chunk;

/**
 * A reference-counted chunk: each planned use holds one count and releases it when done; the chunk
 * is closed when the count reaches zero. (A caller's input arrays reach a run as views that hold
 * their own reference, so every chunk here is the run's to close.)
 */
final class Ref {
  private final Chunk chunk;
  private final AtomicInteger refs;
  private final CompletableFuture<Void> freed = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicBoolean closing =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final LiveSet live;

  private Ref(Chunk chunk, int refs, LiveSet live) {
    this.chunk = chunk;
    this.refs = new AtomicInteger(refs);
    this.live = live;
    live.add(this);
    if (refs == 0) {
      free();
    }
  }

  /** An owned chunk with {@code uses} holders; closed at once when there are none. */
  static Ref owned(Chunk c, int uses, LiveSet live) {
    return new Ref(c, uses, live);
  }

  Chunk chunk() {
    return chunk;
  }

  /** Adds holders. */
  void retain(int n) {
    if (n == 0) {
      return;
    }
    int before = refs.getAndAdd(n);
    if (before <= 0) {
      throw new IllegalStateException("retain of a freed chunk " + chunk);
    }
  }

  /** Drops one holder; frees the chunk when none remain. */
  void release() {
    int now = refs.decrementAndGet();
    if (now == 0) {
      free();
    } else if (now < 0) {
      throw new IllegalStateException("chunk released more often than retained: " + chunk);
    }
  }

  int count() {
    return refs.get();
  }

  /** Completes when the chunk has been freed (for read-ahead windows). */
  CompletableFuture<Void> freed() {
    return freed;
  }

  /** Frees regardless of the count; used to clean up after a failed or cancelled run. */
  void forceFree() {
    refs.set(0);
    free();
  }

  /** Hands the chunk to a new owner (a run's output): it leaves the run's books unclosed. */
  Chunk detach() {
    closing.set(true);
    live.remove(this);
    refs.set(0);
    freed.complete(null);
    return chunk;
  }

  private void free() {
    if (!closing.compareAndSet(false, true)) {
      return; // freed already (a release and a forced free may race after a failure)
    }
    chunk.close();
    live.remove(this);
    freed.complete(null);
  }
}
