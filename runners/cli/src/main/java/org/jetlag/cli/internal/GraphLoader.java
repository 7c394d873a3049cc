package org.jetlag.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Graph;
import org.jetlag.graph.GraphFormatException;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.graph.ops.Ops;

/** Reads and validates a graph file, turning every problem into a message naming the file. */
final class GraphLoader {
  private GraphLoader() {}

  /**
   * The typed graph in {@code file}; warnings go to {@code err} unless {@code quiet}.
   *
   * @throws CliException with status {@link ExitCodes#BAD_GRAPH} and one line per problem
   */
  static TypedGraph load(Path file, PrintWriter err, boolean quiet) {
    Graph g;
    try {
      g = GraphJson.read(file);
    } catch (GraphFormatException e) {
      String m = JetLagCommand.oneLine(e.getMessage());
      String prefix = file.toString();
      throw new CliException(ExitCodes.BAD_GRAPH, m.startsWith(prefix) ? m : prefix + ": " + m, e);
    }
    Validation.Result r = Validation.validate(g);
    if (!quiet) {
      for (Diagnostic d : r.diagnostics()) {
        if (!d.isError()) {
          err.println(file + ": " + JetLagCommand.oneLine(d.toString()));
        }
      }
    }
    if (!r.ok()) {
      List<String> lines = new ArrayList<>();
      for (Diagnostic d : r.errors()) {
        lines.add(file + ": " + JetLagCommand.oneLine(d.toString()));
      }
      throw new CliException(ExitCodes.BAD_GRAPH, String.join(System.lineSeparator(), lines));
    }
    return r.typed().orElseThrow();
  }

  /** The declared name of each graph input node, in graph order. */
  static String inputName(TypedGraph t, Node n) {
    return String.valueOf(t.params(n.id()).get("name"));
  }

  /** The static type of a graph input. */
  static TensorType inputType(TypedGraph t, Node n) {
    return t.type(new PortRef(n.id(), Ops.OUT));
  }

  /** The static type reaching a graph output node. */
  static TensorType outputType(TypedGraph t, Node n) {
    List<String> ports = t.inputPorts(n.id());
    return t.inputType(n.id(), ports.get(0));
  }
}
