package org.jetlag.examples;

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
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every example on the local runner and compares each output with the NumPy reference in
 * {@code expected/}, within the tolerance of its {@code example.properties}; runs again with other
 * thread counts and chunk sizes, which must give bit-identical (threads) or tolerance-equal
 * (chunking) results.
 */
class ExamplesRunTest {
  private BufferAllocator alloc;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  static Stream<Path> examples() throws IOException {
    Path root = ExampleGraphsTest.examplesDir();
    try (Stream<Path> s = Files.list(root)) {
      List<Path> l = new ArrayList<>();
      s.filter(p -> Files.exists(p.resolve("graph.json"))).sorted().forEach(l::add);
      return l.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void matchesNumPyOnEveryThreadCountAndChunking(Path dir) throws IOException {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("example.properties"))) {
      props.load(r);
    }
    TypedGraph g = Validation.check(GraphJson.read(dir.resolve("graph.json")));
    RunRequest req = RunRequest.create().withBaseDir(dir);
    for (String in : props.getProperty("inputs").split(",")) {
      req = req.withInput(in.trim(), dir.resolve(in.trim() + ".npy"));
    }
    List<double[]> reference = null;
    for (int threads : new int[] {2, 1}) {
      for (long chunk : new long[] {RunOptions.DEFAULT_CHUNK_BYTES, 4096}) {
        try (LocalRunner runner = LocalRunner.withThreads(threads, Long.MAX_VALUE);
            RunResult res =
                runner.run(g, req.withOptions(RunOptions.defaults().withChunkBytes(chunk)))) {
          List<double[]> got = new ArrayList<>();
          for (String out : props.getProperty("outputs").split(",")) {
            String o = out.trim();
            NdArray actual = res.output(o);
            try (NdArray expected =
                NpyFiles.read(dir.resolve("expected/" + o + ".npy"), alloc, 1 << 20)) {
              assertThat(actual.type())
                  .as(dir.getFileName() + " output " + o)
                  .isEqualTo(expected.type());
              double rtol =
                  Double.parseDouble(props.getProperty("rtol." + o, props.getProperty("rtol")));
              double atol =
                  Double.parseDouble(props.getProperty("atol." + o, props.getProperty("atol")));
              double[] a = actual.toDoubles();
              double[] e = expected.toDoubles();
              for (int i = 0; i < e.length; i++) {
                assertThat(Math.abs(a[i] - e[i]))
                    .as(
                        "%s output %s[%d] (threads %d, chunk %d): %s vs NumPy %s",
                        dir.getFileName(), o, i, threads, chunk, a[i], e[i])
                    .isLessThanOrEqualTo(atol + rtol * Math.abs(e[i]));
              }
              got.add(a);
            }
          }
          if (chunk == RunOptions.DEFAULT_CHUNK_BYTES) {
            if (reference == null) {
              reference = got;
            } else {
              for (int k = 0; k < got.size(); k++) {
                assertThat(got.get(k))
                    .as("bit-identical for 1 and 2 threads")
                    .isEqualTo(reference.get(k));
              }
            }
          }
        }
      }
    }
  }
}
