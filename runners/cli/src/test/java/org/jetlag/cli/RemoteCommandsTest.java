package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote commands without a Tapis server: usage errors and what they say when not logged in.
 * (Against Slurm and the Tapis emulator they are tested in runners/remote-it.)
 */
class RemoteCommandsTest {
  @TempDir Path config;
  private String before;

  @BeforeEach
  void isolate() {
    before = System.getProperty("jetlag.config.dir");
    System.setProperty("jetlag.config.dir", config.toString());
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty("jetlag.config.dir");
    } else {
      System.setProperty("jetlag.config.dir", before);
    }
  }

  @Test
  void commandsNeedALogin() {
    CliRun r = CliRun.of("jobs");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.err()).contains("not logged in to Tapis").contains("jetlag remote login");
    assertThat(CliRun.of("job", "abc", "status").err()).contains("not logged in");
  }

  @Test
  void targetsAreTapisSystemsOrFlinkSessionClusters() {
    String graph = "../../examples/kmeans/graph.json";
    CliRun r = CliRun.of("submit", graph, "--target", "http://h:8081");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--target")
        .contains("expected tapis:<systemId> or flink://host:port")
        .contains("'http://h:8081'");
    // a flink:// target runs with the flink runner and takes no batch-queue options
    CliRun local = CliRun.of("submit", graph, "--target", "flink://h:8081", "--runner", "local");
    assertThat(local.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(local.err()).contains("a flink:// target runs the graph with the flink runner");
    CliRun queue = CliRun.of("submit", graph, "--target", "flink://h:8081", "--queue", "q");
    assertThat(queue.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(queue.err()).contains("--queue, --nodes, --app and --app-version are for tapis:");
    assertThat(config.resolve("jobs")).doesNotExist();
  }

  @Test
  void onlyTheLocalAndFlinkRunnersAreAccepted() {
    CliRun r =
        CliRun.of(
            "submit",
            "../../examples/kmeans/graph.json",
            "--target",
            "tapis:hpc",
            "--runner",
            "direct");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--runner").contains("[local, flink]").contains("'direct'");
    // A valid runner gets past the options: it fails later, for want of a login.
    CliRun ok =
        CliRun.of(
            "submit",
            "../../examples/kmeans/graph.json",
            "--target",
            "tapis:hpc",
            "--runner",
            "flink");
    assertThat(ok.code()).as(ok.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(ok.err()).contains("not logged in");
  }

  @Test
  void thePasswordIsNeverAnOption() {
    CliRun r =
        CliRun.of(
            "remote", "login", "--tapis", "http://127.0.0.1:9", "--user", "u", "--password", "x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown option").contains("'--password'");
  }

  @Test
  void logoutWithoutLoginSaysSo() {
    CliRun r = CliRun.of("remote", "logout");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("not logged in");
  }

  @Test
  void unknownJobActionsAreUsageErrors() {
    CliRun r = CliRun.of("job", "abc", "explode");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("status, history, cancel, fetch, wait");
  }
}
