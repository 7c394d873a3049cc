package org.jetlag.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Factories for the Arrow allocators that own all array memory.
 *
 * <p>Closing an allocator that still has live buffers fails and names the allocator, so give each
 * child the id of the node that uses it.
 */
public final class Allocators {
  private Allocators() {}

  /** A root allocator that refuses to hand out more than {@code limitBytes} in total. */
  public static BufferAllocator root(long limitBytes) {
    checkLimit(limitBytes);
    return new RootAllocator(limitBytes);
  }

  /**
   * A child of {@code parent} named {@code name} (for example a node id) with its own limit; its
   * memory also counts against the parent's limit.
   */
  public static BufferAllocator child(BufferAllocator parent, String name, long limit) {
    checkLimit(limit);
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("allocator name must not be empty");
    }
    return parent.newChildAllocator(name, 0, limit);
  }

  private static void checkLimit(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("allocator limit must be >= 0, got " + limit);
    }
  }
}
