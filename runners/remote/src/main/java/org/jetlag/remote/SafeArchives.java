package org.jetlag.remote;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jetlag.graph.JetLagException;

/**
 * Unpacks zip and tar archives that come back from a remote system without letting them write
 * outside the target folder: entries with absolute paths, {@code ..} components, symbolic or hard
 * links that point outside the folder, and device or other special files are refused with a message
 * naming the archive and the entry, and nothing of the archive is left behind.
 */
public final class SafeArchives {
  private SafeArchives() {}

  /**
   * Unpacks {@code archive} ({@code .zip}, {@code .tar}, {@code .tar.gz} or {@code .tgz}, judged by
   * the name, else by the first bytes) into the folder {@code dir}, which must be new or empty.
   *
   * @throws JetLagException when an entry is unsafe or the archive is unreadable
   */
  public static void unpack(Path archive, Path dir) {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new JetLagException(
              "archive '" + archive + "': the folder '" + dir + "' is not empty; choose a new one");
        }
      }
      Path root = dir.toRealPath();
      try {
        if (isZip(archive)) {
          unzip(archive, root);
        } else {
          untar(archive, root);
        }
      } catch (IOException | RuntimeException e) {
        cleanNew(root);
        throw e;
      }
    } catch (IOException e) {
      throw new JetLagException("archive '" + archive + "': cannot unpack it: " + e, e);
    }
  }

  private static boolean isZip(Path archive) throws IOException {
    String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".zip")) {
      return true;
    }
    if (n.endsWith(".tar") || n.endsWith(".tgz") || n.endsWith(".tar.gz")) {
      return false;
    }
    try (InputStream in = Files.newInputStream(archive)) {
      byte[] b = in.readNBytes(2);
      return b.length == 2 && b[0] == 'P' && b[1] == 'K';
    }
  }

  private static void unzip(Path archive, Path root) throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      Enumeration<ZipArchiveEntry> en = zip.getEntries();
      while (en.hasMoreElements()) {
        ZipArchiveEntry e = en.nextElement();
        Path target = checkedTarget(archive, root, e.getName());
        if (e.isUnixSymlink()) {
          String link;
          try (InputStream in = zip.getInputStream(e)) {
            link = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          }
          makeLink(archive, root, e.getName(), target, link);
        } else if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          try (InputStream in = zip.getInputStream(e)) {
            writeFile(archive, root, e.getName(), target, in);
          }
        }
      }
    }
  }

  private static void untar(Path archive, Path root) throws IOException {
    String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        InputStream in =
            n.endsWith(".gz") || n.endsWith(".tgz") ? new GzipCompressorInputStream(raw) : raw;
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path target = checkedTarget(archive, root, e.getName());
        if (e.isSymbolicLink()) {
          makeLink(archive, root, e.getName(), target, e.getLinkName());
        } else if (e.isLink()) {
          Path src = checkedTarget(archive, root, e.getLinkName());
          Files.createDirectories(target.getParent());
          Files.createLink(target, src);
        } else if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile()) {
          writeFile(archive, root, e.getName(), target, tar);
        } else {
          throw unsafe(archive, e.getName(), "a device, FIFO or other special file");
        }
      }
    }
  }

  /** The entry's path under root; refuses absolute paths and any '..' component. */
  private static Path checkedTarget(Path archive, Path root, String name) {
    String norm = name.replace('\\', '/');
    if (norm.startsWith("/") || norm.matches("^[A-Za-z]:.*")) {
      throw unsafe(archive, name, "an absolute path");
    }
    for (String part : norm.split("/")) {
      if (part.equals("..")) {
        throw unsafe(archive, name, "a '..' component that leaves the folder");
      }
    }
    Path target = root.resolve(norm).normalize();
    if (!target.startsWith(root)) {
      throw unsafe(archive, name, "a path outside the folder");
    }
    return target;
  }

  private static void makeLink(Path archive, Path root, String name, Path target, String link)
      throws IOException {
    Path l = Path.of(link);
    if (l.isAbsolute()) {
      throw unsafe(archive, name, "a symbolic link to the absolute path '" + link + "'");
    }
    Files.createDirectories(target.getParent());
    // Resolved from the real parent, so links through earlier links are judged where they land.
    Path resolved = target.getParent().toRealPath().resolve(l).normalize();
    if (!resolved.startsWith(root) || !target.getParent().toRealPath().startsWith(root)) {
      throw unsafe(archive, name, "a symbolic link to '" + link + "' outside the folder");
    }
    Files.createSymbolicLink(target, l);
  }

  private static void writeFile(Path archive, Path root, String name, Path target, InputStream in)
      throws IOException {
    Files.createDirectories(target.getParent());
    // A link unpacked earlier must not carry a later file out of the folder.
    if (!target.getParent().toRealPath().startsWith(root) || Files.isSymbolicLink(target)) {
      throw unsafe(archive, name, "a path that goes through a symbolic link");
    }
    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static JetLagException unsafe(Path archive, String entry, String what) {
    return new JetLagException(
        "archive '"
            + archive
            + "': refused: entry '"
            + entry
            + "' is "
            + what
            + "; nothing was unpacked");
  }

  /** Removes everything under {@code root} (the unpacking failed half-way). */
  private static void cleanNew(Path root) {
    try (Stream<Path> s = Files.list(root)) {
      s.forEach(SafeArchives::deleteTree);
    } catch (IOException e) {
      // best effort: the error that got us here is what the user needs to see
    }
  }

  /** Deletes a file or folder tree, not following links. */
  public static void deleteTree(Path p) {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              q -> {
                try {
                  Files.deleteIfExists(q);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new JetLagException("cannot delete '" + p + "': " + e.getMessage(), e);
    }
  }
}
