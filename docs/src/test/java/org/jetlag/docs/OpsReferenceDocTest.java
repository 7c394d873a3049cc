package org.jetlag.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetlag.cli.Main;
import org.junit.jupiter.api.Test;

/** {@code docs/ops.md} is exactly what {@code jetlag ops --markdown} prints. */
class OpsReferenceDocTest {
  static final Path DOCS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

  @Test
  void opsMdIsUpToDate() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "ops", "--markdown");
    assertThat(code).as(err.toString()).isZero();
    Path file = DOCS.resolve("ops.md");
    assertThat(file)
        .as("docs/ops.md exists; create it with: bin/jetlag ops --markdown > docs/ops.md")
        .exists();
    String committed = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(committed)
        .as(
            "docs/ops.md is out of date with the op catalogue; regenerate it with:"
                + " bin/jetlag ops --markdown > docs/ops.md")
        .isEqualTo(out.toString());
  }
}
