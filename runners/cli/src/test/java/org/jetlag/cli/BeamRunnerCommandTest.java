package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jetlag run --runner direct}: the same outputs as the local runner, or a clear refusal. */
class BeamRunnerCommandTest {
  @Test
  void directGivesTheSameOutputsAsLocal(@TempDir Path dir) throws Exception {
    Path graph = dir.resolve("g.json");
    Files.writeString(
        graph,
        "{\"formatVersion\": 1, \"name\": \"ew\", \"nodes\": ["
            + "{\"id\": \"x\", \"op\": \"input\", \"params\": {\"name\": \"x\", \"shape\": [null, 4]}},"
            + "{\"id\": \"two\", \"op\": \"constant\", \"params\": {\"value\": 2.0}},"
            + "{\"id\": \"y\", \"op\": \"mul\"},"
            + "{\"id\": \"s\", \"op\": \"sum\", \"params\": {\"axis\": [0]}},"
            + "{\"id\": \"o\", \"op\": \"output\", \"params\": {\"name\": \"s\"}}],"
            + "\"edges\": [{\"from\": \"x:out\", \"to\": \"y:a\"}, {\"from\": \"two:out\", \"to\": \"y:b\"},"
            + "{\"from\": \"y:out\", \"to\": \"s:x\"}, {\"from\": \"s:out\", \"to\": \"o:x\"}]}");
    Path x = CommandsTest.EXAMPLES.resolve("linear-regression/X.npy");
    CliRun local =
        CliRun.of(
            "run",
            graph.toString(),
            "-i",
            "x=" + x,
            "--chunk-size",
            "1KiB",
            "-q",
            "-o",
            dir.resolve("l").toString(),
            "--format",
            "npy");
    CliRun direct =
        CliRun.of(
            "run",
            graph.toString(),
            "-i",
            "x=" + x,
            "--chunk-size",
            "1KiB",
            "-q",
            "-o",
            dir.resolve("d").toString(),
            "--format",
            "npy",
            "--runner",
            "direct");
    assertThat(local.code()).as(local.toString()).isZero();
    assertThat(direct.code()).as(direct.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("d/s.npy")))
        .isEqualTo(Files.readAllBytes(dir.resolve("l/s.npy")));
  }

  @Test
  void aGraphBeamCannotRunYetIsRefusedBeforeRunning(@TempDir Path dir) {
    CliRun r =
        CliRun.of(
            "run",
            CommandsTest.EXAMPLES.resolve("linear-regression/graph.json").toString(),
            "--runner",
            "direct",
            "-o",
            dir.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("node 'coef' (solve): not supported on Beam yet");
    assertThat(dir.toFile().list()).isEmpty();
  }
}
