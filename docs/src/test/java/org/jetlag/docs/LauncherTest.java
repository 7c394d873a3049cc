package org.jetlag.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/jetlag} as a real process. This module builds after {@code runners/cli} has been
 * packaged, so its jar and {@code target/lib} exist.
 */
class LauncherTest {
  static final Path ROOT = OpsReferenceDocTest.DOCS.getParent();
  static final Path LAUNCHER = ROOT.resolve("bin/jetlag");

  record Proc(int code, String out, String err) {}

  static Proc exec(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(LAUNCHER.toString());
    cmd.addAll(List.of(args));
    Path outFile = Files.createTempFile("jetlag-out", ".txt");
    Path errFile = Files.createTempFile("jetlag-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(cwd.toFile())
              .redirectOutput(outFile.toFile())
              .redirectError(errFile.toFile())
              .start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("jetlag finished in time").isTrue();
      return new Proc(
          p.exitValue(),
          Files.readString(outFile, StandardCharsets.UTF_8),
          Files.readString(errFile, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(errFile);
    }
  }

  @Test
  void launcherIsExecutable() {
    assertThat(Files.isExecutable(LAUNCHER)).as(LAUNCHER + " is executable").isTrue();
    assertThat(ROOT.resolve("runners/cli/target/lib"))
        .as("runners/cli is packaged (mvn -q install -DskipTests)")
        .isDirectory();
  }

  @Test
  void versionFromAnyFolder(@TempDir Path elsewhere) throws Exception {
    Proc p = exec(elsewhere, "--version");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out().strip()).matches("jetlag \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(p.err()).isEmpty();
  }

  @Test
  void runsTheLinearRegressionExample(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Proc p = exec(ROOT, "run", "examples/linear-regression/graph.json", "--output", out.toString());
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out())
        .contains("coef: float64[4]", "residual_norm: float64[]", "linear-regression on local");
    assertThat(p.err())
        .as("no progress bar and no log noise when stderr is not a terminal")
        .isEmpty();
    assertThat(out.resolve("coef.arrow")).isRegularFile();
    assertThat(out.resolve("residual_norm.arrow")).isRegularFile();
  }

  @Test
  void badGraphExitsWithThreeAndOneLine(@TempDir Path tmp) throws Exception {
    Path g = tmp.resolve("bad.json");
    Files.writeString(g, "{ not json");
    Proc p = exec(tmp, "validate", "bad.json");
    assertThat(p.code()).isEqualTo(3);
    assertThat(p.err().strip()).startsWith("bad.json: malformed JSON").doesNotContain("\n");
  }
}
