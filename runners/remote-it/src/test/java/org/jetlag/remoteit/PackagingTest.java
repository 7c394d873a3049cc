package org.jetlag.remoteit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jetlag.testsupport.slurm.SlurmTestbed;
import org.junit.jupiter.api.Test;

/** The command line ships the remote client but never the test support (the Tapis emulator). */
class PackagingTest {
  @Test
  void theCommandLinesLibHasTheClientAndNotTheEmulator() throws IOException {
    Path lib = SlurmTestbed.repoRoot().resolve("runners/cli/target/lib");
    List<String> jars;
    try (Stream<Path> s = Files.list(lib)) {
      jars = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(jars).anyMatch(j -> j.startsWith("jetlag-remote-"));
    assertThat(jars).noneMatch(j -> j.startsWith("jetlag-test-support"));
    assertThat(jars).noneMatch(j -> j.startsWith("sshd-"));
  }
}
