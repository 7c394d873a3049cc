package org.jetlag.editor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.Position;

/** Small graphs and the repository's examples for view-model tests. */
final class TestGraphs {
  private TestGraphs() {}

  /** The repository's examples folder (tests run in editor/editor-vm). */
  static Path examples() {
    for (Path x = Path.of("").toAbsolutePath(); x != null; x = x.getParent()) {
      if (Files.isDirectory(x.resolve("examples").resolve("kmeans"))) {
        return x.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples folder above " + Path.of("").toAbsolutePath());
  }

  static Node node(String id, String op, double x, double y, Object... kv) {
    Map<String, Object> params = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put((String) kv[i], kv[i + 1]);
    }
    return new Node(id, op, params, Optional.empty(), Optional.of(new Position(x, y)));
  }

  /** arange(stop=n) -> sin -> output y; valid. */
  static Graph chain(long n) {
    return Graph.of(
        "chain",
        "",
        List.of(
            node("a", "arange", 0, 0, "stop", n),
            node("s", "sin", 200, 0),
            node("y", "output", 400, 0, "name", "y")),
        List.of(Edge.of("a:out", "s:x"), Edge.of("s:out", "y:x")));
  }

  /** Two inputs of incompatible matrix shapes and a matmul fed by the first. */
  static Graph matrices() {
    return Graph.of(
        "matrices",
        "",
        List.of(
            node("A", "input", 0, 0, "name", "A", "shape", List.of(3L, 4L)),
            node("B", "input", 0, 100, "name", "B", "shape", List.of(5L, 2L)),
            node("C", "input", 0, 200, "name", "C", "shape", List.of(4L, 2L)),
            node("mm", "matmul", 200, 0),
            node("y", "output", 400, 0, "name", "y")),
        List.of(Edge.of("A:out", "mm:a"), Edge.of("mm:out", "y:x")));
  }

  static List<Object> shape(Long... dims) {
    return Arrays.asList((Object[]) dims);
  }
}
