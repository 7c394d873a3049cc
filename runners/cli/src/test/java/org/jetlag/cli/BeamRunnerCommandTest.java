package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.build.GraphBuilder;
import org.jetlag.graph.build.Loop;
import org.jetlag.graph.build.Tensor;
import org.jetlag.graph.json.GraphJson;
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
  void aGraphBeamCannotRunIsRefusedBeforeRunning(@TempDir Path dir) throws Exception {
    GraphBuilder g = GraphBuilder.create("until");
    Tensor x0 = g.input("x", DType.FLOAT64, Shape.SCALAR);
    Loop halve = g.loopUntil("small", 60);
    Tensor x = halve.carry("x", x0);
    Tensor next = x.mul(0.5);
    halve.update("x", next).stopWhen(next.abs().lt(1e-6));
    g.output("x", halve.end().get("x"));
    Path graph = dir.resolve("until.json");
    GraphJson.write(g.build(), graph);
    Path x1 = dir.resolve("x.npy");
    Files.write(x1, npyScalar(1.0));
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.of(
            "run", graph.toString(), "-i", "x=" + x1, "--runner", "direct", "-o", out.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.err())
        .contains("node 'loop_1' (loop): not supported on Beam: a loop that stops on its 'until'");
    assertThat(out.toFile().list()).as("nothing written").isNullOrEmpty();
  }

  /** A float64 scalar as a .npy file. */
  private static byte[] npyScalar(double v) {
    String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
    StringBuilder h = new StringBuilder(header);
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(10 + h.length() + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.put((byte) 1).put((byte) 0).putShort((short) h.length());
    b.put(h.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putDouble(v);
    return b.array();
  }
}
