/**
 * N-dimensional arrays held in Apache Arrow buffers, and their files: Arrow IPC, NumPy {@code .npy}
 * and CSV.
 *
 * <p>An {@link org.jetlag.arrow.NdArray} is split along axis 0 into {@link
 * org.jetlag.arrow.Chunk}s, each one contiguous row-major buffer with exactly one owner. File
 * readers and writers stream chunk by chunk, so arrays larger than memory can be processed; every
 * file problem is an {@link org.jetlag.arrow.ArrayFileException} whose message names the file.
 */
package org.jetlag.arrow;
