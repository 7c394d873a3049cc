package org.jetlag.runner;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jetlag.arrow.NdArray;

/**
 * What a run needs besides the graph: a source for each graph input, a folder that relative file
 * paths in the graph resolve against, and options. Immutable; change with the {@code with} methods.
 *
 * @param inputs a source per graph input name, in order
 * @param baseDir where relative paths in {@code read_*} and {@code write_*} nodes resolve
 * @param options tuning and observation
 */
public record RunRequest(Map<String, InputSource> inputs, Path baseDir, RunOptions options) {
  /** Validates and copies. */
  public RunRequest {
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    Objects.requireNonNull(baseDir, "baseDir");
    Objects.requireNonNull(options, "options");
  }

  /** A request with no inputs, paths relative to the working directory and default options. */
  public static RunRequest create() {
    return new RunRequest(Map.of(), Path.of(""), RunOptions.defaults());
  }

  /** This request with an in-memory input (the caller keeps ownership of the array). */
  public RunRequest withInput(String name, NdArray array) {
    return withSource(name, new InputSource.Array(array));
  }

  /** This request with an input read from a file ({@code .arrow}, {@code .npy} or {@code .csv}). */
  public RunRequest withInput(String name, Path file) {
    return withSource(name, new InputSource.File(file));
  }

  private RunRequest withSource(String name, InputSource s) {
    Map<String, InputSource> m = new LinkedHashMap<>(inputs);
    m.put(name, s);
    return new RunRequest(m, baseDir, options);
  }

  /** This request with another base folder. */
  public RunRequest withBaseDir(Path dir) {
    return new RunRequest(inputs, dir, options);
  }

  /** This request with other options. */
  public RunRequest withOptions(RunOptions o) {
    return new RunRequest(inputs, baseDir, o);
  }

  /** The source of one input. */
  public Optional<InputSource> input(String name) {
    return Optional.ofNullable(inputs.get(name));
  }

  /** Where a graph input's data comes from. */
  public sealed interface InputSource {
    /** An array in memory, owned by the caller. */
    record Array(NdArray array) implements InputSource {
      /** Validates. */
      public Array {
        Objects.requireNonNull(array, "array");
      }
    }

    /** A file, streamed chunk by chunk where the consumers allow. */
    record File(Path path) implements InputSource {
      /** Validates. */
      public File {
        Objects.requireNonNull(path, "path");
      }
    }
  }
}
