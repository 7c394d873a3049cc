package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every example graph through {@code jetlag run --output} and compares the written outputs
 * with {@code expected/<output>.npy} within the tolerances of its {@code example.properties}.
 */
class ExamplesTest {
  private final BufferAllocator alloc = Allocators.root(Long.MAX_VALUE);

  @AfterEach
  void closeAllocator() {
    alloc.close();
  }

  static Stream<String> examples() throws IOException {
    try (Stream<Path> s = Files.list(CommandsTest.EXAMPLES)) {
      List<String> names = new ArrayList<>();
      s.filter(p -> Files.isRegularFile(p.resolve("example.properties")))
          .forEach(p -> names.add(p.getFileName().toString()));
      names.sort(null);
      assertThat(names).as("examples under " + CommandsTest.EXAMPLES).isNotEmpty();
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleMatchesItsExpectedOutputs(String name, @org.junit.jupiter.api.io.TempDir Path tmp)
      throws IOException {
    Path dir = CommandsTest.EXAMPLES.resolve(name);
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("example.properties"))) {
      props.load(r);
    }
    Path out = tmp.resolve("out");
    CliRun run =
        CliRun.of(
            "run",
            dir.resolve(props.getProperty("graph", "graph.json")).toString(),
            "--output",
            out.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    List<String> problems = new ArrayList<>();
    for (String output : props.getProperty("outputs").split(",")) {
      output = output.strip();
      double rtol =
          Double.parseDouble(props.getProperty("rtol." + output, props.getProperty("rtol")));
      double atol =
          Double.parseDouble(props.getProperty("atol." + output, props.getProperty("atol")));
      try (NdArray actual = ArrowFiles.read(out.resolve(output + ".arrow"), alloc);
          NdArray expected =
              NpyFiles.read(dir.resolve("expected/" + output + ".npy"), alloc, 1 << 16)) {
        assertThat(actual.type()).as(name + "/" + output).isEqualTo(expected.type());
        double[] a = actual.toDoubles();
        double[] e = expected.toDoubles();
        for (int i = 0; i < e.length; i++) {
          boolean same =
              Double.isNaN(e[i])
                  ? Double.isNaN(a[i])
                  : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
          if (!same) {
            problems.add(
                String.format(
                    "%s/%s[%d]: expected %s, got %s (diff %.3g, allowed %.3g)",
                    name,
                    output,
                    i,
                    e[i],
                    a[i],
                    Math.abs(a[i] - e[i]),
                    atol + rtol * Math.abs(e[i])));
          }
        }
      }
    }
    assertThat(problems).as(name).isEmpty();
  }
}
