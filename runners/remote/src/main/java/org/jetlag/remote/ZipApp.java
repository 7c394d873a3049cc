package org.jetlag.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.jetlag.graph.JetLagException;

/**
 * The JetLag ZIP-runtime app for Tapis v3: {@code tapisjob_app.sh}, which runs a {@link JobBundle}
 * with the runtime installed on the system. {@link #write} makes the archive Tapis unpacks into
 * each job's folder (the app's {@code containerImage}).
 */
public final class ZipApp {
  /** The app's id on Tapis unless the user picks another. */
  public static final String DEFAULT_ID = "jetlag-zip";

  /** The environment variable that names the runtime folder on the system. */
  public static final String RUNTIME_ENV = "JETLAG_RUNTIME";

  private static final List<String> FILES = List.of("tapisjob_app.sh");

  private ZipApp() {}

  /** Writes the app archive to {@code zip} (atomically; scripts executable). */
  public static void write(Path zip) {
    Path abs = zip.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path temp = Files.createTempFile(abs.getParent(), ".app-", ".zip.tmp");
      try {
        try (OutputStream os = Files.newOutputStream(temp);
            ZipArchiveOutputStream out = new ZipArchiveOutputStream(os)) {
          for (String f : FILES) {
            byte[] bytes = resource(f);
            ZipArchiveEntry e = new ZipArchiveEntry(f);
            e.setUnixMode(0100755);
            e.setSize(bytes.length);
            out.putArchiveEntry(e);
            out.write(bytes);
            out.closeArchiveEntry();
          }
        }
        Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new JetLagException("ZIP app '" + zip + "': cannot write it: " + e.getMessage(), e);
    }
  }

  /** The text of one of the app's files, such as {@code tapisjob_app.sh}. */
  public static byte[] resource(String name) {
    try (InputStream in = ZipApp.class.getResourceAsStream("app/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource app/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
