package org.jetlag.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeArchivesTest {
  @Test
  void aPlainZipUnpacks(@TempDir Path tmp) throws IOException {
    Path zip = zip(tmp.resolve("ok.zip"), "out/w.arrow", "W", "trace.json", "{}");
    SafeArchives.unpack(zip, tmp.resolve("dir"));
    assertThat(tmp.resolve("dir/out/w.arrow")).hasContent("W");
    assertThat(tmp.resolve("dir/trace.json")).hasContent("{}");
  }

  @Test
  void zipEntriesThatLeaveTheFolderAreRefusedAndNothingStays(@TempDir Path tmp) throws IOException {
    for (String bad : new String[] {"../evil.txt", "a/../../evil.txt", "/etc/evil.txt"}) {
      Path zip = zip(tmp.resolve("bad.zip"), "good.txt", "g", bad, "x");
      Path dir = tmp.resolve("d-" + Math.abs(bad.hashCode()));
      assertThatThrownBy(() -> SafeArchives.unpack(zip, dir))
          .hasMessageContaining("refused")
          .hasMessageContaining("'" + bad + "'");
      assertThat(list(dir)).isEmpty();
    }
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
  }

  @Test
  void zipSymlinksOutOfTheFolderAreRefused(@TempDir Path tmp) throws IOException {
    Path zip = tmp.resolve("link.zip");
    try (OutputStream os = Files.newOutputStream(zip);
        ZipArchiveOutputStream out = new ZipArchiveOutputStream(os)) {
      ZipArchiveEntry e = new ZipArchiveEntry("passwd");
      e.setUnixMode(0120777);
      out.putArchiveEntry(e);
      out.write("../../../etc/passwd".getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> SafeArchives.unpack(zip, tmp.resolve("d")))
        .hasMessageContaining("symbolic link to '../../../etc/passwd' outside the folder");
  }

  @Test
  void tarLinksAndPathsOutOfTheFolderAreRefused(@TempDir Path tmp) throws IOException {
    Path abs = tar(tmp.resolve("abs.tar"), link("l", "/etc/shadow", TarArchiveEntry.LF_SYMLINK));
    assertThatThrownBy(() -> SafeArchives.unpack(abs, tmp.resolve("a")))
        .hasMessageContaining("symbolic link to the absolute path");
    Path up = tar(tmp.resolve("up.tar"), link("x/l", "../../up", TarArchiveEntry.LF_SYMLINK));
    assertThatThrownBy(() -> SafeArchives.unpack(up, tmp.resolve("b")))
        .hasMessageContaining("outside the folder");
    Path hard = tar(tmp.resolve("hard.tar"), link("h", "../secret", TarArchiveEntry.LF_LINK));
    assertThatThrownBy(() -> SafeArchives.unpack(hard, tmp.resolve("c")))
        .hasMessageContaining("'..'");
    // A link inside the folder ("a" -> "."), then a link through it that lands outside.
    Path through = tmp.resolve("through.tar");
    try (OutputStream os = Files.newOutputStream(through);
        TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      out.putArchiveEntry(link("a", ".", TarArchiveEntry.LF_SYMLINK));
      out.closeArchiveEntry();
      out.putArchiveEntry(link("a/b", "../x", TarArchiveEntry.LF_SYMLINK));
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> SafeArchives.unpack(through, tmp.resolve("e")))
        .hasMessageContaining("'a/b'")
        .hasMessageContaining("outside the folder");
    assertThat(list(tmp.resolve("e"))).isEmpty();
  }

  @Test
  void aFolderThatIsNotEmptyIsRefused(@TempDir Path tmp) throws IOException {
    Files.createDirectories(tmp.resolve("d"));
    Files.writeString(tmp.resolve("d/mine.txt"), "keep");
    Path zip = zip(tmp.resolve("ok.zip"), "a.txt", "a");
    assertThatThrownBy(() -> SafeArchives.unpack(zip, tmp.resolve("d")))
        .hasMessageContaining("not empty");
    assertThat(tmp.resolve("d/mine.txt")).hasContent("keep");
  }

  private static TarArchiveEntry link(String name, String target, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    return e;
  }

  private static Path tar(Path p, TarArchiveEntry e) throws IOException {
    try (OutputStream os = Files.newOutputStream(p);
        TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
    }
    return p;
  }

  private static Path zip(Path p, String... nameContent) throws IOException {
    try (OutputStream os = Files.newOutputStream(p);
        ZipArchiveOutputStream out = new ZipArchiveOutputStream(os)) {
      for (int i = 0; i < nameContent.length; i += 2) {
        out.putArchiveEntry(new ZipArchiveEntry(nameContent[i]));
        out.write(nameContent[i + 1].getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
      }
    }
    return p;
  }

  private static java.util.List<Path> list(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return java.util.List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
