package org.jetlag.editor.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;
import java.util.Properties;
import org.jetlag.editor.SubmitForm;

/**
 * The last Submit form, kept in {@code submit.properties} in the editor's state folder so that the
 * next submit starts from it. A form holds no secret; nothing else is written.
 */
public final class SubmitMemory {
  private final Path file;

  /** The memory in {@code stateDir}. */
  public SubmitMemory(Path stateDir) {
    this.file = stateDir.resolve("submit.properties");
  }

  /** The form last written, or empty when there is none or it cannot be read. */
  public java.util.Optional<SubmitForm> read() {
    if (!Files.isRegularFile(file)) {
      return java.util.Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new SubmitForm(
            p.getProperty("target", ""),
            p.getProperty("queue", ""),
            number(p.getProperty("nodes", "")),
            number(p.getProperty("cores", "")),
            number(p.getProperty("minutes", "")),
            p.getProperty("runner", "local")));
  }

  /** Writes the form (a temporary file, then a rename). */
  public void write(SubmitForm f) throws IOException {
    Properties p = new Properties();
    p.setProperty("target", f.target());
    p.setProperty("queue", f.queue());
    p.setProperty("nodes", text(f.nodes()));
    p.setProperty("cores", text(f.cores()));
    p.setProperty("minutes", text(f.minutes()));
    p.setProperty("runner", f.runner());
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".submit", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "the editor's last Submit form");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static OptionalInt number(String s) {
    try {
      return s.isBlank() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s.strip()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static String text(OptionalInt v) {
    return v.isPresent() ? Integer.toString(v.getAsInt()) : "";
  }
}
