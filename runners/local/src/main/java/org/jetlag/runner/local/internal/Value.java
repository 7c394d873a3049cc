package org.jetlag.runner.local.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/**
 * A node output during a run: its concrete type, its partition, and a future per chunk.
 *
 * @param type the concrete type (every dimension known)
 * @param part the split along axis 0
 * @param chunks one future per chunk, in row order
 */
record Value(TensorType type, Partition part, List<CompletableFuture<Ref>> chunks) {
  Value {
    chunks = List.copyOf(chunks);
    if (chunks.size() != part.count()) {
      throw new IllegalStateException(
          "value of " + type + " has " + chunks.size() + " chunks for " + part);
    }
  }

  Shape shape() {
    return type.shape();
  }

  /** The shape of chunk {@code i}: its rows and the trailing dimensions. */
  Shape chunkShape(int i) {
    Shape s = type.shape();
    return s.rank() == 0 ? s : s.withDim(0, part.rows(i));
  }

  /** Completes when every chunk is ready. */
  CompletableFuture<Void> all() {
    return CompletableFuture.allOf(chunks.toArray(new CompletableFuture<?>[0]));
  }
}
