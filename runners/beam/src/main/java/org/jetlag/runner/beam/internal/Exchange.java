package org.jetlag.runner.beam.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jetlag.runner.beam.ChunkCoder;
import org.jetlag.runner.beam.ChunkData;

/**
 * The run folder that the client and the workers share: staged inputs, output chunks and span logs.
 * On DirectRunner and embedded Flink it is a local folder; on a Flink cluster it must be a path
 * every TaskManager and the client can read and write (the same machine, or a shared file system).
 * Every file appears whole: written under a temporary name, then renamed.
 *
 * @param dir the folder
 * @param clientPid the client's process id (workers in the same process name themselves after the
 *     runner)
 * @param runner the runner's name
 */
public record Exchange(String dir, long clientPid, String runner) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A new run folder at {@code dir} for a client in this process. */
  public static Exchange create(Path dir, String runner) {
    try {
      Files.createDirectories(dir.resolve("inputs"));
      Files.createDirectories(dir.resolve("outputs"));
      Files.createDirectories(dir.resolve("spans"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run folder " + dir + ": " + e, e);
    }
    return new Exchange(dir.toAbsolutePath().toString(), ProcessHandle.current().pid(), runner);
  }

  Path root() {
    return Paths.get(dir);
  }

  /** Where a staged input is written. */
  public Path input(int index) {
    return root().resolve("inputs").resolve("in" + index + ".npy");
  }

  /** The folder of a saved array: graph outputs are {@code out<i>}, loop state {@code v<k>}. */
  private Path values(String name) {
    return root().resolve("outputs").resolve(name);
  }

  Path spans() {
    return root().resolve("spans");
  }

  /** Writes chunk {@code index} of the array saved as {@code name}. */
  void writeChunk(String name, long index, ChunkData c) {
    Path d = values(name);
    try {
      Files.createDirectories(d);
      Path f = d.resolve(String.format("%020d.chunk", index));
      atomically(f, out -> ChunkCoder.of().encode(c, out));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a chunk under " + d + ": " + e, e);
    }
  }

  /** Reads chunk {@code index} of the array saved as {@code name}. */
  ChunkData readChunk(String name, long index) {
    Path f = values(name).resolve(String.format("%020d.chunk", index));
    try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
      return ChunkCoder.of().decode(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the saved chunk " + f + ": " + e, e);
    }
  }

  /** The chunks of graph output {@code index} in row order (none if it produced nothing). */
  public List<ChunkData> readOutput(int index) {
    Path d = values("out" + index);
    List<ChunkData> out = new ArrayList<>();
    if (!Files.isDirectory(d)) {
      return out;
    }
    try (Stream<Path> files = Files.list(d)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".chunk")).sorted().toList()) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
          out.add(ChunkCoder.of().decode(in));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the outputs in " + d + ": " + e, e);
    }
    return out;
  }

  /** The span logs the workers wrote. */
  public List<Path> spanLogs() {
    try (Stream<Path> files = Files.list(spans())) {
      return files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + spans() + ": " + e, e);
    }
  }

  /** Writes {@code f} whole: to a temporary file beside it, then renamed. */
  static void atomically(Path f, Body body) throws IOException {
    Path tmp =
        f.resolveSibling("." + f.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      body.write(out);
    }
    try {
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** What writes a file's bytes. */
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Deletes the folder and everything in it. Engines may still be removing their own files in it as
   * they shut down: files that vanish meanwhile are no error.
   */
  public void delete() {
    try {
      Files.walkFileTree(
          root(),
          new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(
                Path file, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
              Files.deleteIfExists(file);
              return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e)
                throws IOException {
              if (e instanceof java.nio.file.NoSuchFileException) {
                return java.nio.file.FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e)
                throws IOException {
              if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                throw e;
              }
              try {
                Files.deleteIfExists(dir);
              } catch (java.nio.file.DirectoryNotEmptyException late) {
                // an engine wrote into it while shutting down: left for the next clean-up
              }
              return java.nio.file.FileVisitResult.CONTINUE;
            }
          });
    } catch (java.nio.file.NoSuchFileException e) {
      // gone already
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the run folder " + dir + ": " + e, e);
    }
  }
}
