package org.jetlag.editor.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.editor.OutputPreview;
import org.jetlag.graph.JetLagException;

/** Previews of the outputs a fetched job wrote ({@code <name>.arrow} beside its trace). */
public final class FetchedOutputs {
  private FetchedOutputs() {}

  /**
   * A preview of each {@code *.arrow} file directly in {@code dir}, by name. Each array is read,
   * summarised and freed before the next one.
   *
   * @throws JetLagException naming a file that cannot be read
   */
  public static List<OutputPreview> previews(Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".arrow"))
              .filter(Files::isRegularFile)
              .sorted()
              .collect(Collectors.toList());
    } catch (IOException e) {
      throw new JetLagException("cannot list the outputs in '" + dir + "': " + e, e);
    }
    List<OutputPreview> out = new ArrayList<>();
    try (BufferAllocator alloc = Allocators.root(Long.MAX_VALUE)) {
      for (Path f : files) {
        String file = f.getFileName().toString();
        String name = file.substring(0, file.length() - ".arrow".length());
        try (NdArray a = ArrowFiles.read(f, alloc)) {
          out.add(OutputPreview.of(name, a));
        }
      }
    }
    return out;
  }
}
