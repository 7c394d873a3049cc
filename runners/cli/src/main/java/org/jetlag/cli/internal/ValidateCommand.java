package org.jetlag.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.Node;
import org.jetlag.graph.TypedGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jetlag validate graph.json}: checks a graph without running it. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Check a graph file: read it, infer every port's dtype and shape, and report every problem.",
      "Prints one summary line when the graph is valid, else one line per problem to stderr."
    },
    exitCodeListHeading = JetLagCommand.EXIT_HEADING,
    exitCodeList = {JetLagCommand.EXIT_0, JetLagCommand.EXIT_2, JetLagCommand.EXIT_3},
    footer = {"%nExample:", "  jetlag validate examples/kmeans/graph.json", JetLagCommand.FOOTER})
final class ValidateCommand implements Callable<Integer>, JetLagCommand.HasVerbosity {
  @Spec CommandSpec spec;

  @Mixin Verbosity verbosity = new Verbosity();

  @Parameters(index = "0", paramLabel = "GRAPH", description = "The graph JSON file.")
  Path graph;

  @Override
  public Verbosity verbosity() {
    return verbosity;
  }

  @Override
  public Integer call() {
    TypedGraph t = GraphLoader.load(graph, spec.commandLine().getErr(), false);
    spec.commandLine().getOut().println(summary(t));
    return ExitCodes.OK;
  }

  /** {@code ok: graph 'name': N nodes; inputs X float64[?,10]; outputs …}. */
  static String summary(TypedGraph t) {
    List<String> ins = new ArrayList<>();
    for (Node n : t.graph().inputNodes()) {
      ins.add(GraphLoader.inputName(t, n) + " " + GraphLoader.inputType(t, n));
    }
    List<String> outs = new ArrayList<>();
    for (Node n : t.graph().outputNodes()) {
      outs.add(GraphLoader.inputName(t, n) + " " + GraphLoader.outputType(t, n));
    }
    int nodes = t.graph().nodes().size();
    return "ok: graph '"
        + t.graph().name()
        + "': "
        + nodes
        + (nodes == 1 ? " node" : " nodes")
        + "; inputs "
        + (ins.isEmpty() ? "none" : String.join(", ", ins))
        + "; outputs "
        + (outs.isEmpty() ? "none" : String.join(", ", outs))
        + (t.warnings().isEmpty() ? "" : "; " + t.warnings().size() + " warning(s)");
  }
}
