/**
 * The numerics of every op in the catalogue: pure, single-threaded kernels on plain Java arrays
 * ({@link org.jetlag.kernels.Block}), shared by every runner; runners own scheduling, chunking,
 * broadcasting expansion and Arrow I/O.
 */
package org.jetlag.kernels;
