package org.jetlag.editor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The editor's own files in its state folder: the recent-files list and the recovery copy of
 * unsaved work, each written atomically (a temporary file, then a rename).
 */
public final class StateFiles {
  private static final int MAX_RECENT = 10;
  private final Path dir;

  /** Files under {@code dir} (created when first written). */
  public StateFiles(Path dir) {
    this.dir = dir;
  }

  /** The recent files, newest first; empty when none or unreadable. */
  public List<Path> recent() {
    Path f = dir.resolve("recent.txt");
    try {
      if (!Files.exists(f)) {
        return List.of();
      }
      return Files.readAllLines(f, StandardCharsets.UTF_8).stream()
          .filter(s -> !s.isBlank())
          .map(Path::of)
          .limit(MAX_RECENT)
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** Puts a file first in the recent list and returns the new list. */
  public List<Path> addRecent(Path file) throws IOException {
    List<Path> l = new ArrayList<>();
    Path abs = file.toAbsolutePath().normalize();
    l.add(abs);
    for (Path p : recent()) {
      if (!p.equals(abs) && l.size() < MAX_RECENT) {
        l.add(p);
      }
    }
    StringBuilder sb = new StringBuilder();
    l.forEach(p -> sb.append(p).append('\n'));
    write(dir.resolve("recent.txt"), sb.toString());
    return l;
  }

  /** The recovery copy: the graph's JSON text and the file it belongs to, if any. */
  public record Recovery(String json, Optional<Path> file) {}

  /** Writes the recovery copy of unsaved work. */
  public void writeRecovery(String json, Optional<Path> file) throws IOException {
    write(dir.resolve("recovery.json"), json);
    write(dir.resolve("recovery.path"), file.map(p -> p.toAbsolutePath().toString()).orElse(""));
  }

  /** The recovery copy, if one is there. */
  public Optional<Recovery> readRecovery() {
    Path f = dir.resolve("recovery.json");
    try {
      if (!Files.exists(f)) {
        return Optional.empty();
      }
      Path pf = dir.resolve("recovery.path");
      String p = Files.exists(pf) ? Files.readString(pf, StandardCharsets.UTF_8).trim() : "";
      return Optional.of(
          new Recovery(
              Files.readString(f, StandardCharsets.UTF_8),
              p.isEmpty() ? Optional.empty() : Optional.of(Path.of(p))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Deletes the recovery copy (after a save, or when the user declines it). */
  public void clearRecovery() throws IOException {
    Files.deleteIfExists(dir.resolve("recovery.json"));
    Files.deleteIfExists(dir.resolve("recovery.path"));
  }

  private void write(Path file, String text) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
