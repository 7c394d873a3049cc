package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jetlag.cli.Graphs.edge;
import static org.jetlag.cli.Graphs.input;
import static org.jetlag.cli.Graphs.node;
import static org.jetlag.cli.Graphs.output;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.Ops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' normal behaviour, run in-process. */
class CommandsTest {
  static final Path EXAMPLES = Path.of("../../examples").toAbsolutePath().normalize();

  @TempDir Path tmp;

  private final BufferAllocator alloc = Allocators.root(Long.MAX_VALUE);

  @AfterEach
  void closeAllocator() {
    alloc.close();
  }

  @Test
  void versionComesFromTheBuild() {
    CliRun r = CliRun.of("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out().strip()).matches("jetlag \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void everyCommandHasHelpWithExitCodes() {
    for (String cmd : new String[] {"run", "validate", "ops"}) {
      CliRun r = CliRun.of(cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).contains("Usage: jetlag " + cmd, "Exit codes:", "0 ", "2 ");
    }
    assertThat(CliRun.of("run", "--help").out()).contains("130", "cancelled", "5 ", "--chunk-size");
    assertThat(CliRun.of("--help").out()).contains("run", "validate", "ops");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun r = CliRun.of();
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("missing command");
  }

  @Test
  void runFindsInputsBesideTheGraph() {
    CliRun r = CliRun.of("run", EXAMPLES.resolve("logistic-regression/graph.json").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("w: float64[5]", "b: float64[]", "loss: float64[]", "accuracy: float64[]")
        .contains("node", "op", "time", "share", "logistic-regression on local");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void quietPrintsNothingAndStillWrites() throws Exception {
    Path out = tmp.resolve("out");
    CliRun r =
        CliRun.of(
            "run",
            EXAMPLES.resolve("linear-regression/graph.json").toString(),
            "--quiet",
            "--output",
            out.toString(),
            "--format",
            "npy",
            "--threads",
            "1",
            "--chunk-size",
            "1KiB",
            "--memory",
            "256MiB",
            "--timeout",
            "10m");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
    try (var s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("coef.npy", "residual_norm.npy");
    }
    try (NdArray coef = NpyFiles.read(out.resolve("coef.npy"), alloc, 1024)) {
      assertThat(coef.type().toString()).isEqualTo("float64[4]");
    }
  }

  @Test
  void emptyArraysSumToZeros() throws Exception {
    Path g =
        Graphs.write(
            tmp.resolve("g"),
            String.join(
                ", ",
                input("x", "float64", "[null, 3]"),
                node("s", "sum", "{\"axis\": [0]}"),
                output("s")),
            String.join(", ", edge("x:out", "s:x"), edge("s:out", "out_s:x")));
    try (NdArray a = NdArray.fromDoubles(alloc, DType.FLOAT64, Shape.of(0, 3), new double[0])) {
      NpyFiles.write(a, tmp.resolve("g/x.npy"));
    }
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("run", g.toString(), "--output", out.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("s: float64[3]", "values: [0, 0, 0]");
    try (NdArray s = ArrowFiles.read(out.resolve("s.arrow"), alloc)) {
      assertThat(s.type().toString()).isEqualTo("float64[3]");
      assertThat(s.toDoubles()).containsExactly(0, 0, 0);
    }
  }

  @Test
  void nanAndInfPropagateAsInNumPy() throws Exception {
    Path g =
        Graphs.write(
            tmp.resolve("g"),
            String.join(
                ", ",
                node("z", "constant", "{\"value\": [0.0, 1.0]}"),
                node("lg", "log", ""),
                node("m", "constant", "{\"value\": [-1.0, 4.0]}"),
                node("sq", "sqrt", ""),
                node("n", "constant", "{\"value\": [1.0, \"NaN\", 2.0]}"),
                node("s", "sum", ""),
                output("log"),
                output("sqrt"),
                output("sum")),
            String.join(
                ", ",
                edge("z:out", "lg:x"),
                edge("m:out", "sq:x"),
                edge("n:out", "s:x"),
                edge("lg:out", "out_log:x"),
                edge("sq:out", "out_sqrt:x"),
                edge("s:out", "out_sum:x")));
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of("run", g.toString(), "--output", out.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("log: float64[2]", "values: [-inf, 0]", "-inf 1")
        .contains("sqrt: float64[2]", "values: [nan, 2]", "nan 1")
        .contains("sum: float64[]  value nan");
    try (NdArray lg = ArrowFiles.read(out.resolve("log.arrow"), alloc);
        NdArray sq = ArrowFiles.read(out.resolve("sqrt.arrow"), alloc);
        NdArray sum = ArrowFiles.read(out.resolve("sum.arrow"), alloc)) {
      assertThat(lg.toDoubles()).containsExactly(Double.NEGATIVE_INFINITY, 0.0);
      assertThat(sq.getDouble(0)).isNaN();
      assertThat(sq.getDouble(1)).isEqualTo(2.0);
      assertThat(sum.getDouble(0)).isNaN();
    }
  }

  @Test
  void validatePrintsTheTypedSummary() {
    CliRun r = CliRun.of("validate", EXAMPLES.resolve("linear-regression/graph.json").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().strip())
        .isEqualTo(
            "ok: graph 'linear-regression': 11 nodes; inputs X float64[?,4], y float64[?];"
                + " outputs coef float64[4], residual_norm float64[]");
  }

  @Test
  void validatePrintsEveryDiagnostic() {
    Path g =
        Graphs.write(
            tmp.resolve("g"),
            String.join(
                ", ",
                node("a", "sqrtt", ""),
                node("b", "eye", "{\"n\": -2}"),
                output("a"),
                output("b")),
            String.join(", ", edge("a:out", "out_a:x"), edge("b:out", "out_b:x")));
    CliRun r = CliRun.of("validate", g.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_GRAPH);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.startsWith(g + ": "));
    assertThat(r.err()).contains("node 'a' (sqrtt)", "node 'b' (eye)");
  }

  @Test
  void opsListsEveryOpByCategory() {
    CliRun r = CliRun.of("ops");
    assertThat(r.code()).isZero();
    for (String cat : Ops.CATEGORIES) {
      assertThat(r.out()).contains(cat + "\n");
    }
    Ops.all().forEach(op -> assertThat(r.out()).contains("  " + op.name() + " "));
  }

  @Test
  void opsShowsOneOpInDetail() {
    CliRun r = CliRun.of("ops", "eye");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("eye (creation)", "parameters:", "n: int, required, range [0, ");
    CliRun norm = CliRun.of("ops", "norm");
    assertThat(norm.out()).contains("ord: string, default \"2\"", "one of 2 | 1 | inf");
  }

  @Test
  void opsUnknownNameSuggests() {
    CliRun r = CliRun.of("ops", "matmull");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("unknown op 'matmull'", "did you mean 'matmul'");
  }

  @Test
  void opsMarkdownHasASectionPerOp() {
    CliRun r = CliRun.of("ops", "--markdown");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("# Op reference");
    Ops.all().forEach(op -> assertThat(r.out()).contains("\n### " + op.name() + "\n"));
  }

  @Test
  void verboseAddsAStackTrace() {
    Path g = tmp.resolve("missing.json");
    CliRun plain = CliRun.of("validate", g.toString());
    CliRun verbose = CliRun.of("validate", "--verbose", g.toString());
    assertThat(plain.errLines()).hasSize(1);
    assertThat(verbose.code()).isEqualTo(ExitCodes.BAD_GRAPH);
    assertThat(verbose.err()).contains("GraphFormatException", "\tat ");
  }
}
