package org.jetlag.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jetlag.graph.DType;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.graph.ops.Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks every example folder: valid canonical graph, matching data files and manifest. */
class ExampleGraphsTest {
  /** The examples folder (the module's base directory when run by Maven). */
  static Path examplesDir() {
    Path cwd = Paths.get("").toAbsolutePath();
    return Files.isDirectory(cwd.resolve("logistic-regression")) ? cwd : cwd.resolve("examples");
  }

  static Stream<String> exampleNames() throws IOException {
    try (Stream<Path> s = Files.list(examplesDir())) {
      return s
          .filter(p -> Files.isRegularFile(p.resolve("graph.json")))
          .map(p -> p.getFileName().toString())
          .sorted()
          .collect(Collectors.toList())
          .stream();
    }
  }

  @Test
  void everyExampleIsPresent() throws IOException {
    assertThat(exampleNames())
        .containsExactlyInAnyOrder(
            "logistic-regression", "kmeans", "linear-regression", "pca", "als");
  }

  @ParameterizedTest
  @MethodSource("exampleNames")
  void graphIsValidAndCanonical(String name) throws IOException {
    Path file = examplesDir().resolve(name).resolve("graph.json");
    Graph g = GraphJson.read(file);
    Validation.Result r = Validation.validate(g);
    assertThat(r.errors()).as("validation errors of %s", file).isEmpty();
    assertThat(GraphJson.write(g))
        .as("%s must be canonical (read then write gives the same bytes)", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(g.nodes()).allSatisfy(n -> assertThat(n.position()).isPresent());
  }

  @ParameterizedTest
  @MethodSource("exampleNames")
  void graphMatchesItsGenerator(String name) throws IOException {
    assertThat(ExampleGraphFiles.all()).containsKey(name);
    Path file = examplesDir().resolve(name).resolve("graph.json");
    assertThat(GraphJson.write(ExampleGraphFiles.all().get(name).get()))
        .as("%s is out of date: run ExampleGraphFiles (see examples/README.md)", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("exampleNames")
  void inputFilesFitTheDeclaredInputs(String name) throws IOException {
    Path dir = examplesDir().resolve(name);
    TypedGraph t = Validation.check(GraphJson.read(dir.resolve("graph.json")));
    for (Node in : t.graph().inputNodes()) {
      String inputName = (String) in.params().get("name");
      TensorType declared = t.type(new org.jetlag.graph.PortRef(in.id(), Ops.OUT));
      Path npy = dir.resolve(inputName + ".npy");
      assertThat(npy).as("input file for '%s'", inputName).isRegularFile();
      NpyHeader h = NpyHeader.read(npy);
      assertThat(h.dtype).as("dtype of %s", npy).isEqualTo(declared.dtype());
      assertThat(fits(declared.shape(), h.shape))
          .as("shape %s of %s fits declared %s", Arrays.toString(h.shape), npy, declared)
          .isTrue();
      assertThat(Files.size(npy)).as("size of %s", npy).isLessThan(2L << 20);
    }
  }

  @ParameterizedTest
  @MethodSource("exampleNames")
  void everyOutputHasAnExpectedFile(String name) throws IOException {
    Path dir = examplesDir().resolve(name);
    TypedGraph t = Validation.check(GraphJson.read(dir.resolve("graph.json")));
    for (Node out : t.graph().outputNodes()) {
      String outputName = (String) out.params().get("name");
      Path npy = dir.resolve("expected").resolve(outputName + ".npy");
      assertThat(npy).as("expected file for output '%s'", outputName).isRegularFile();
      TensorType declared = t.inputType(out.id(), "x");
      NpyHeader h = NpyHeader.read(npy);
      assertThat(h.dtype).as("dtype of %s", npy).isEqualTo(declared.dtype());
      assertThat(fits(declared.shape(), h.shape))
          .as("shape %s of %s fits inferred %s", Arrays.toString(h.shape), npy, declared)
          .isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("exampleNames")
  void manifestListsTheGraphsInputsAndOutputs(String name) throws IOException {
    Path dir = examplesDir().resolve(name);
    Properties p = manifest(dir);
    Graph g = GraphJson.read(dir.resolve(p.getProperty("graph", "graph.json")));
    assertThat(list(p.getProperty("inputs")))
        .containsExactlyInAnyOrderElementsOf(names(g.inputNodes()));
    assertThat(list(p.getProperty("outputs")))
        .containsExactlyInAnyOrderElementsOf(names(g.outputNodes()));
    assertThat(Double.parseDouble(p.getProperty("rtol"))).isBetween(0.0, 1e-3);
    assertThat(Double.parseDouble(p.getProperty("atol"))).isBetween(0.0, 1e-3);
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("rtol.") || key.startsWith("atol.")) {
        assertThat(names(g.outputNodes())).contains(key.substring(5));
      }
    }
  }

  @Test
  void logisticRegressionJavaApiBuildsTheSameGraph() {
    Graph java = LogisticRegressionExample.graph();
    Validation.check(java);
    assertThat(opMultiset(java))
        .isEqualTo(
            opMultiset(GraphJson.read(examplesDir().resolve("logistic-regression/graph.json"))));
  }

  @Test
  void kmeansJavaApiBuildsTheSameGraph() {
    Graph java = KMeansExample.graph();
    Validation.check(java);
    assertThat(opMultiset(java))
        .isEqualTo(opMultiset(GraphJson.read(examplesDir().resolve("kmeans/graph.json"))));
  }

  @Test
  void javaApiGraphsHaveTheSameInputsAndOutputs() {
    assertThat(names(LogisticRegressionExample.graph().inputNodes())).containsExactly("X", "y");
    assertThat(names(LogisticRegressionExample.graph().outputNodes()))
        .containsExactly("w", "b", "loss", "accuracy");
    assertThat(names(KMeansExample.graph().inputNodes())).containsExactly("X", "init");
    assertThat(names(KMeansExample.graph().outputNodes()))
        .containsExactly("centroids", "labels", "inertia");
  }

  // ------------------------------------------------------------------ helpers

  static Properties manifest(Path dir) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve("example.properties"))) {
      p.load(in);
    }
    return p;
  }

  private static List<String> list(String csv) {
    assertThat(csv).isNotNull();
    return Arrays.stream(csv.split(",")).map(String::trim).collect(Collectors.toList());
  }

  private static List<String> names(List<Node> nodes) {
    return nodes.stream().map(n -> (String) n.params().get("name")).collect(Collectors.toList());
  }

  /** Op name to count, over the graph and every body, recursively. */
  static Map<String, Integer> opMultiset(Graph g) {
    Map<String, Integer> m = new TreeMap<>();
    addOps(g, m);
    return m;
  }

  private static void addOps(Graph g, Map<String, Integer> m) {
    for (Node n : g.nodes()) {
      m.merge(n.op(), 1, Integer::sum);
      n.body().ifPresent(b -> addOps(b, m));
    }
  }

  /** True when concrete dimensions fit a declared shape whose leading dimension may be unknown. */
  static boolean fits(Shape declared, long[] actual) {
    if (declared.rank() != actual.length) {
      return false;
    }
    for (int i = 0; i < actual.length; i++) {
      if (declared.dim(i) != Shape.UNKNOWN && declared.dim(i) != actual[i]) {
        return false;
      }
    }
    return true;
  }

  /** The dtype and shape from a {@code .npy} header (format versions 1 to 3, C order). */
  static final class NpyHeader {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    final DType dtype;
    final long[] shape;

    private NpyHeader(DType dtype, long[] shape) {
      this.dtype = dtype;
      this.shape = shape;
    }

    static NpyHeader read(Path file) throws IOException {
      byte[] b = Files.readAllBytes(file);
      assertThat(b.length).as("length of %s", file).isGreaterThan(10);
      assertThat(Arrays.copyOf(b, 6))
          .as("magic of %s", file)
          .isEqualTo(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
      int major = b[6];
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int len = major == 1 ? Short.toUnsignedInt(bb.getShort(8)) : bb.getInt(8);
      int start = major == 1 ? 10 : 12;
      String header =
          new String(
              b, start, len, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      Matcher d = DESCR.matcher(header);
      Matcher f = FORTRAN.matcher(header);
      Matcher s = SHAPE.matcher(header);
      assertThat(d.find() && f.find() && s.find()).as("header of %s: %s", file, header).isTrue();
      assertThat(f.group(1)).as("fortran_order of %s", file).isEqualTo("False");
      DType dtype = dtype(d.group(1), file);
      List<Long> dims = new ArrayList<>();
      for (String part : s.group(1).split(",")) {
        if (!part.isBlank()) {
          dims.add(Long.parseLong(part.trim()));
        }
      }
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
      assertThat((long) b.length - start - len)
          .as("data bytes of %s", file)
          .isEqualTo(count * dtype.byteWidth());
      return new NpyHeader(dtype, shape);
    }

    private static DType dtype(String descr, Path file) {
      switch (descr) {
        case "<f8":
          return DType.FLOAT64;
        case "<f4":
          return DType.FLOAT32;
        case "<i8":
          return DType.INT64;
        case "<i4":
          return DType.INT32;
        case "|b1":
          return DType.BOOL;
        default:
          throw new AssertionError(file + ": unsupported dtype '" + descr + "'");
      }
    }
  }
}
