package org.jetlag.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks Arrow IPC and .npy files against pyarrow and NumPy, both ways, through {@code
 * src/test/python/interop.py}. Needs {@code scripts/setup-python.sh} (or {@code -Djetlag.python}).
 */
@Tag("python")
class PythonInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BufferAllocator alloc;
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    alloc = Allocators.root(1L << 30);
  }

  @AfterEach
  void tearDown() {
    alloc.close();
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve(".mvn"))) {
        return q;
      }
    }
    throw new IllegalStateException("no directory holding .mvn/ above " + p);
  }

  static Path python() {
    String prop = System.getProperty("jetlag.python");
    Path py =
        prop != null && !prop.isEmpty()
            ? Path.of(prop)
            : repoRoot().resolve(".venv").resolve("bin").resolve("python");
    if (!Files.isExecutable(py) && (prop == null || prop.isEmpty())) {
      bootstrap();
    }
    if (!Files.isExecutable(py)) {
      fail(
          "Python interpreter "
              + py
              + " not found: run scripts/setup-python.sh (creates .venv with pyarrow and numpy)"
              + " or pass -Djetlag.python=/path/to/python");
    }
    return py;
  }

  /** Creates the venv with scripts/setup-python.sh, so a fresh clone needs no manual step. */
  private static synchronized void bootstrap() {
    Path script = repoRoot().resolve("scripts/setup-python.sh");
    try {
      Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(script + " did not finish within 600 s:\n" + out);
      }
      if (p.exitValue() != 0) {
        fail(script + " failed (exit " + p.exitValue() + "):\n" + out);
      }
    } catch (IOException e) {
      fail("cannot run " + script + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while running " + script);
    }
  }

  private String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(python().toString());
    cmd.add(repoRoot().resolve("arrow-io/src/test/python/interop.py").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("interop.py timed out: " + cmd);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("interop.py %s failed:%n%s", args[0], out).isZero();
    return out;
  }

  @Test
  void pythonReadsWhatJavaWrites() throws Exception {
    ArrayNode manifest = JSON.createArrayNode();
    long seed = 1;
    for (DType d : DType.values()) {
      for (Shape s :
          List.of(
              Shape.SCALAR, Shape.of(7), Shape.of(5, 3), Shape.of(0, 3), Shape.of(3, 2, 2, 2))) {
        try (NdArray a = Samples.filled(alloc, d, s, 2, seed++)) {
          String base = d.wireName() + "_" + s.rank() + "_" + (a.size() == 0 ? "empty" : "full");
          ArrowFiles.write(a, dir.resolve(base + ".arrow"));
          NpyFiles.write(a, dir.resolve(base + ".npy"));
          for (String fmt : List.of("arrow", "npy")) {
            var e = manifest.addObject();
            e.put("file", base + "." + fmt).put("format", fmt).put("dtype", d.wireName());
            ArrayNode shape = e.putArray("shape");
            s.toList().forEach(shape::add);
            ArrayNode values = e.putArray("values");
            if (d.isFloating()) {
              for (double v : a.toDoubles()) {
                if (Double.isNaN(v)) {
                  values.add("nan");
                } else if (Double.isInfinite(v)) {
                  values.add(v > 0 ? "inf" : "-inf");
                } else {
                  values.add(v);
                }
              }
            } else {
              for (long v : a.toLongs()) {
                values.add(v);
              }
            }
          }
        }
      }
    }
    Path m = dir.resolve("manifest.json");
    JSON.writeValue(m.toFile(), manifest);
    String out = run("check", m.toString());
    assertThat(out).contains("checked " + manifest.size() + " files, 0 problems");
  }

  @Test
  void javaReadsWhatPythonWrites() throws Exception {
    run("write", dir.toString());
    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
    assertThat(manifest.size()).isGreaterThan(10);
    for (JsonNode e : manifest) {
      Path f = dir.resolve(e.get("file").asText());
      DType dtype = DType.fromWireName(e.get("dtype").asText()).orElseThrow();
      List<Long> dims = new ArrayList<>();
      e.get("shape").forEach(x -> dims.add(x.asLong()));
      Shape shape = Shape.of(dims);
      boolean arrow = e.get("format").asText().equals("arrow");
      try (NdArray a = arrow ? ArrowFiles.read(f, alloc) : NpyFiles.read(f, alloc, 2)) {
        assertThat(a.dtype()).as("%s", f).isEqualTo(dtype);
        assertThat(a.shape()).as("%s", f).isEqualTo(shape);
        JsonNode values = e.get("values");
        assertThat(a.size()).as("%s", f).isEqualTo(values.size());
        for (int i = 0; i < values.size(); i++) {
          JsonNode v = values.get(i);
          if (dtype.isFloating()) {
            double expected =
                v.isTextual()
                    ? (v.asText().equals("nan")
                        ? Double.NaN
                        : v.asText().equals("inf")
                            ? Double.POSITIVE_INFINITY
                            : Double.NEGATIVE_INFINITY)
                    : v.asDouble();
            // float32 values arrive widened to double by Python, so equality is exact.
            assertThat(Double.valueOf(a.getDouble(i)))
                .as("%s element %s", f, i)
                .isEqualTo(Double.valueOf(expected));
          } else {
            assertThat(a.getLong(i)).as("%s element %s", f, i).isEqualTo(v.asLong());
          }
        }
      }
      if (arrow && shape.rank() > 0 && e.get("file").asText().startsWith("py_float64")) {
        assertThat(ArrowFiles.header(f).shape()).isEqualTo(shape);
      }
    }
  }
}
