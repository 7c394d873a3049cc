package org.jetlag.cli.internal;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jetlag ops [NAME] [--markdown]}: the op catalogue. */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "List the ops by category, show one op in detail, or print the full op reference.",
    },
    exitCodeListHeading = JetLagCommand.EXIT_HEADING,
    exitCodeList = {JetLagCommand.EXIT_0, JetLagCommand.EXIT_2},
    footer = {
      "%nExamples:",
      "  jetlag ops",
      "  jetlag ops matmul",
      "  jetlag ops --markdown > docs/ops.md",
      JetLagCommand.FOOTER
    })
final class OpsCommand implements Callable<Integer>, JetLagCommand.HasVerbosity {
  @Spec CommandSpec spec;

  @Mixin Verbosity verbosity = new Verbosity();

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME",
      description = "An op's wire name, such as matmul; shows that op in detail.")
  String name;

  @Option(
      names = "--markdown",
      description = "Print Markdown: the full op reference (docs/ops.md), or one op's section.")
  boolean markdown;

  @Override
  public Verbosity verbosity() {
    return verbosity;
  }

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    if (name == null) {
      out.print(markdown ? OpsReference.markdown() : OpsReference.list());
      out.flush();
      return ExitCodes.OK;
    }
    OpSpec op =
        Ops.byName(name)
            .orElseThrow(
                () -> {
                  List<String> names =
                      Ops.all().stream().map(OpSpec::name).collect(Collectors.toList());
                  String hint =
                      OpsReference.closest(name, names)
                          .map(s -> "; did you mean '" + s + "'?")
                          .orElse("; 'jetlag ops' lists them");
                  return new ParameterException(
                      spec.commandLine(), "unknown op '" + name + "'" + hint);
                });
    out.print(markdown ? OpsReference.markdownSection(op) : OpsReference.detail(op));
    out.flush();
    return ExitCodes.OK;
  }
}
