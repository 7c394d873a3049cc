package org.jetlag.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** A directory no file can be created in, even when the tests run as root. */
final class ReadOnly {
  private ReadOnly() {}

  static Path directory(Path parent) throws IOException {
    Path ro = parent.resolve("ro");
    Files.createDirectories(ro);
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (Files.isWritable(ro)) {
      // Root ignores permission bits; procfs refuses new files for everyone.
      return Path.of("/proc");
    }
    return ro;
  }

  static void assertUnchanged(Path ro) throws IOException {
    if (ro.startsWith("/proc")) {
      return;
    }
    try (Stream<Path> s = Files.list(ro)) {
      assertThat(s).isEmpty();
    }
  }
}
