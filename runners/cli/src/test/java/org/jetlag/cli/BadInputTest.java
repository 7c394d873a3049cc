package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jetlag.cli.Graphs.edge;
import static org.jetlag.cli.Graphs.input;
import static org.jetlag.cli.Graphs.node;
import static org.jetlag.cli.Graphs.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per kind of bad input: each must give the documented exit status, one line on stderr
 * naming the file and the node, op or port with expected versus actual, and write no output.
 */
class BadInputTest {
  @TempDir Path tmp;

  private final BufferAllocator alloc = Allocators.root(Long.MAX_VALUE);

  @AfterEach
  void closeAllocator() {
    alloc.close();
  }

  /** A graph {@code x float64[?,3] -> sum(axis 0) -> s}. */
  private Path sumGraph() {
    return Graphs.write(
        tmp.resolve("g"),
        String.join(
            ", ",
            input("x", "float64", "[null, 3]"),
            node("s", "sum", "{\"axis\": [0]}"),
            output("s")),
        String.join(", ", edge("x:out", "s:x"), edge("s:out", "out_s:x")));
  }

  private Path npy(String name, DType dtype, Shape shape, double... values) {
    Path p = tmp.resolve(name);
    try (NdArray a = NdArray.fromDoubles(alloc, dtype, shape, values)) {
      NpyFiles.write(a, p);
    }
    return p;
  }

  private Path out() {
    return tmp.resolve("out");
  }

  private CliRun run(Path graph, String... more) {
    String[] args =
        Stream.concat(
                Stream.of("run", graph.toString(), "--output", out().toString()), Stream.of(more))
            .toArray(String[]::new);
    return CliRun.of(args);
  }

  /** The common contract: status, exactly one stderr line holding each part, no output file. */
  private void assertFails(CliRun r, int code, String... parts) throws IOException {
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0)).contains(parts).doesNotContain("Exception", "\tat ");
    assertNoOutputFiles();
  }

  private void assertNoOutputFiles() throws IOException {
    if (Files.exists(out())) {
      try (Stream<Path> s = Files.list(out())) {
        assertThat(s).as("files in the output folder").isEmpty();
      }
    }
  }

  private Path graph(String nodes, String edges) {
    return Graphs.write(tmp.resolve("g"), nodes, edges);
  }

  @Test
  void malformedJson() throws IOException {
    Path g = Graphs.writeText(tmp.resolve("g"), "{\"formatVersion\": 1, \"nodes\": [\n  {\"id\": ");
    assertFails(run(g), ExitCodes.BAD_GRAPH, g.toString(), "malformed JSON", "line");
  }

  @Test
  void unknownOpSuggestsTheClosest() throws IOException {
    Path g =
        graph(
            String.join(", ", input("x", "float64", "[3]"), node("r", "sqrtt", ""), output("r")),
            String.join(", ", edge("x:out", "r:x"), edge("r:out", "out_r:x")));
    assertFails(run(g), ExitCodes.BAD_GRAPH, g + ": node 'r' (sqrtt)", "did you mean 'sqrt'");
  }

  @Test
  void unknownParameter() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                input("x", "float64", "[3]"),
                node("s", "sum", "{\"axes\": [0]}"),
                output("s")),
            String.join(", ", edge("x:out", "s:x"), edge("s:out", "out_s:x")));
    assertFails(run(g), ExitCodes.BAD_GRAPH, g + ": node 's' (sum)", "'axes'");
  }

  @Test
  void wrongParameterType() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                input("x", "float64", "[3]"),
                node("s", "sum", "{\"keepdims\": \"yes\"}"),
                output("s")),
            String.join(", ", edge("x:out", "s:x"), edge("s:out", "out_s:x")));
    assertFails(
        run(g), ExitCodes.BAD_GRAPH, g + ": node 's' (sum)", "keepdims", "expected", "got \"yes\"");
  }

  @Test
  void parameterOutOfRange() throws IOException {
    Path g =
        graph(
            String.join(", ", node("e", "eye", "{\"n\": -1}"), output("e")),
            edge("e:out", "out_e:x"));
    assertFails(
        run(g),
        ExitCodes.BAD_GRAPH,
        g + ": node 'e' (eye)",
        "'n'",
        "expected a value in [0, ",
        "got -1");
  }

  @Test
  void cycle() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                input("x", "float64", "[3]"),
                node("a", "add", ""),
                node("b", "add", ""),
                output("b")),
            String.join(
                ", ",
                edge("x:out", "a:a"),
                edge("b:out", "a:b"),
                edge("x:out", "b:a"),
                edge("a:out", "b:b"),
                edge("b:out", "out_b:x")));
    CliRun r = run(g);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BAD_GRAPH);
    assertThat(r.errLines())
        .as(r.toString())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).startsWith(g + ": "));
    assertThat(r.err()).contains("node 'a' (add)", "expected an acyclic graph", "cycle");
    assertNoOutputFiles();
  }

  @Test
  void danglingEdge() throws IOException {
    Path g =
        graph(
            String.join(", ", input("x", "float64", "[3]"), node("n", "neg", ""), output("n")),
            String.join(
                ", ", edge("x:out", "n:x"), edge("nope:out", "n:x"), edge("n:out", "out_n:x")));
    CliRun r = run(g);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.BAD_GRAPH);
    assertThat(r.err()).contains(g + ": ", "'nope'");
    assertNoOutputFiles();
  }

  @Test
  void shapeMismatch() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                node("a", "zeros", "{\"shape\": [2, 3]}"),
                node("b", "zeros", "{\"shape\": [2, 3]}"),
                node("m", "matmul", ""),
                output("m")),
            String.join(
                ", ", edge("a:out", "m:a"), edge("b:out", "m:b"), edge("m:out", "out_m:x")));
    assertFails(run(g), ExitCodes.BAD_GRAPH, g + ": node 'm' (matmul)", "expected", "got", "[2,3]");
  }

  @Test
  void dtypeMismatch() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                node("b", "zeros", "{\"shape\": [2, 2], \"dtype\": \"bool\"}"),
                node("n", "neg", ""),
                output("n")),
            String.join(", ", edge("b:out", "n:x"), edge("n:out", "out_n:x")));
    assertFails(
        run(g),
        ExitCodes.BAD_GRAPH,
        g + ": node 'n' (neg) port 'x'",
        "expected a numeric dtype",
        "got bool[2,2]");
  }

  @Test
  void missingInputFile() throws IOException {
    Path g = sumGraph();
    Path missing = tmp.resolve("nope.npy");
    assertFails(
        run(g, "--input", "x=" + missing),
        ExitCodes.RUN_FAILED,
        g + ": node 'x' (input)",
        missing.toString());
  }

  @Test
  void inputNotGivenAndNotBesideTheGraph() throws IOException {
    Path g = sumGraph();
    assertFails(
        run(g),
        ExitCodes.RUN_FAILED,
        g + ": node 'x' (input)",
        "expected data of type float64[?,3]",
        "x.npy");
  }

  @Test
  void truncatedNpy() throws IOException {
    Path g = sumGraph();
    Path f = npy("x.npy", DType.FLOAT64, Shape.of(4, 3), new double[12]);
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length - 20));
    assertFails(
        run(g, "--input", "x=" + f),
        ExitCodes.RUN_FAILED,
        g + ": node 'x' (input)",
        f.toString(),
        "truncated");
  }

  @Test
  void corruptNpyBadMagic() throws IOException {
    Path g = sumGraph();
    Path f = npy("x.npy", DType.FLOAT64, Shape.of(4, 3), new double[12]);
    byte[] b = Files.readAllBytes(f);
    b[1] = 'X';
    Files.write(f, b);
    assertFails(
        run(g, "--input", "x=" + f), ExitCodes.RUN_FAILED, g + ": node 'x' (input)", f.toString());
  }

  @Test
  void inputOfTheWrongDtype() throws IOException {
    Path g = sumGraph();
    Path f = npy("x.npy", DType.INT64, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    assertFails(
        run(g, "--input", "x=" + f),
        ExitCodes.RUN_FAILED,
        g + ": node 'x' (input)",
        f.toString(),
        "float64[?,3]",
        "int64[2,3]");
  }

  @Test
  void inputOfTheWrongShape() throws IOException {
    Path g = sumGraph();
    Path f = npy("x.npy", DType.FLOAT64, Shape.of(3, 2), 1, 2, 3, 4, 5, 6);
    assertFails(
        run(g, "--input", "x=" + f),
        ExitCodes.RUN_FAILED,
        g + ": node 'x' (input)",
        f.toString(),
        "float64[?,3]",
        "float64[3,2]");
  }

  @Test
  void unwritableOutputFolderFailsBeforeRunning() throws IOException {
    Path g = sumGraph();
    Path f = npy("x.npy", DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    Path file = tmp.resolve("file.txt");
    Files.writeString(file, "not a folder");
    Path bad = file.resolve("out");
    CliRun r = CliRun.of("run", g.toString(), "--input", "x=" + f, "--output", bad.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OUTPUT_FAILED);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).contains("output folder '" + bad + "'");
    assertThat(r.out()).as("nothing ran").isEmpty();
    assertThat(Files.readString(file)).isEqualTo("not a folder");
  }

  @Test
  void unwritableOutputFolderUnderProc() throws IOException {
    Path g = sumGraph();
    Path f = npy("x.npy", DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    Path bad = Path.of("/proc/jetlag-test-out");
    CliRun r = CliRun.of("run", g.toString(), "--input", "x=" + f, "--output", bad.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OUTPUT_FAILED);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).contains("output folder '" + bad + "'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  @Timeout(60)
  void absurdShapeIsAClearErrorNotAHang() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                node("z", "zeros", "{\"shape\": [1000000000, 1000000000, 1000000000]}"),
                output("z")),
            edge("z:out", "out_z:x"));
    CliRun r = run(g);
    assertThat(r.code()).as(r.toString()).isIn(ExitCodes.BAD_GRAPH, ExitCodes.RUN_FAILED);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0)).contains(g.toString(), "node 'z' (zeros)");
    assertNoOutputFiles();
  }

  @Test
  @Timeout(60)
  void hugeButRepresentableShapeHitsTheMemoryLimit() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                node("z", "zeros", "{\"shape\": [100000, 100000, 10]}"),
                node("s", "sum", ""),
                output("s")),
            String.join(", ", edge("z:out", "s:x"), edge("s:out", "out_s:x")));
    CliRun r = run(g, "--memory", "64MiB", "--timeout", "50s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0)).contains(g.toString(), "node '");
    assertNoOutputFiles();
  }

  @Test
  void unknownInputNameIsAUsageError() throws IOException {
    Path g = sumGraph();
    Path f = npy("x.npy", DType.FLOAT64, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    assertFails(
        run(g, "--input", "X=" + f), ExitCodes.USAGE, "no input named 'X'", "did you mean 'x'");
  }

  @Test
  void badOptionValuesAreUsageErrors() throws IOException {
    Path g = sumGraph();
    assertFails(run(g, "--chunk-size", "lots"), ExitCodes.USAGE, "--chunk-size", "lots");
    assertFails(run(g, "--timeout", "-3s"), ExitCodes.USAGE, "--timeout");
    assertFails(run(g, "--threads", "0"), ExitCodes.USAGE, "--threads");
    assertFails(run(g, "--format", "parquet"), ExitCodes.USAGE, "--format", "parquet");
    assertFails(run(g, "--bogus"), ExitCodes.USAGE, "--bogus");
  }

  @Test
  void missingGraphFile() throws IOException {
    Path g = tmp.resolve("nope.json");
    assertFails(run(g), ExitCodes.BAD_GRAPH, g + ": no such file");
  }

  @Test
  @Timeout(30)
  void timeoutFailsTheRun() throws IOException {
    Path g =
        graph(
            String.join(
                ", ",
                node("r", "random_normal", "{\"shape\": [3000, 3000], \"seed\": 1}"),
                node("m", "matmul", ""),
                node("m2", "matmul", ""),
                node("s", "sum", ""),
                output("s")),
            String.join(
                ", ",
                edge("r:out", "m:a"),
                edge("r:out", "m:b"),
                edge("m:out", "m2:a"),
                edge("r:out", "m2:b"),
                edge("m2:out", "s:x"),
                edge("s:out", "out_s:x")));
    CliRun r = run(g, "--timeout", "200ms");
    assertFails(r, ExitCodes.RUN_FAILED, g.toString(), "timeout");
    assertThat(Duration.ofMillis(200)).isPositive();
  }
}
