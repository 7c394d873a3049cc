package org.jetlag.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.JetLagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobBundleTest {
  static final Path EXAMPLE =
      Path.of("../../examples/logistic-regression").toAbsolutePath().normalize();

  static Map<String, Path> inputs() {
    Map<String, Path> in = new LinkedHashMap<>();
    in.put("X", EXAMPLE.resolve("X.npy"));
    in.put("y", EXAMPLE.resolve("y.npy"));
    return in;
  }

  @Test
  void theBundleHoldsGraphArrowInputsSettingsAndAManifestWithChecksums(@TempDir Path tmp)
      throws IOException {
    RunSettings settings =
        new RunSettings(
            OptionalLong.of(1 << 20), OptionalLong.empty(), Optional.of(Duration.ofMinutes(2)));
    JobBundle b =
        JobBundle.create(
            EXAMPLE.resolve("graph.json"), inputs(), settings, "9.9", "9.9", tmp.resolve("b.zip"));
    assertThat(b.graphName()).isEqualTo("logistic-regression");
    assertThat(b.sha256()).isEqualTo(JobBundle.sha256(b.zip())).hasSize(64);
    Path dir = tmp.resolve("unpacked");
    SafeArchives.unpack(b.zip(), dir);
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertThat(m.get("runtimeVersion").asText()).isEqualTo("9.9");
    assertThat(m.get("bundleFormat").asInt()).isEqualTo(1);
    assertThat(m.get("inputs").get("X").asText()).isEqualTo("inputs/X.arrow");
    assertThat(m.get("settings").get("chunkBytes").asLong()).isEqualTo(1 << 20);
    for (JsonNode f : m.get("files")) {
      Path p = dir.resolve(f.get("path").asText());
      assertThat(JobBundle.sha256(p))
          .as(f.get("path").asText())
          .isEqualTo(f.get("sha256").asText());
      assertThat(Files.size(p)).isEqualTo(f.get("size").asLong());
    }
    assertThat(Files.readString(dir.resolve("SHA256SUMS")))
        .contains("  graph.json\n")
        .contains("  inputs/X.arrow\n");
    assertThat(Files.readString(dir.resolve("inputs.txt")))
        .isEqualTo("X\tinputs/X.arrow\ny\tinputs/y.arrow\n");
    assertThat(Files.readString(dir.resolve("run-args.txt")))
        .isEqualTo("--chunk-size\n1048576\n--timeout\n120000ms\n");
    try (BufferAllocator a = Allocators.root(Long.MAX_VALUE);
        NdArray npy = NpyFiles.read(EXAMPLE.resolve("X.npy"), a, 1 << 16);
        NdArray arrow = ArrowFiles.read(dir.resolve("inputs/X.arrow"), a)) {
      assertThat(arrow.shape()).isEqualTo(npy.shape());
      assertThat(arrow.toDoubles()).containsExactly(npy.toDoubles());
    }
    assertThat(b.size()).isLessThan(200_000);
  }

  @Test
  void theFlinkRunnerIsAskedForWithoutAMasterAddress(@TempDir Path tmp) throws IOException {
    RunSettings settings = RunSettings.defaults().withRunner("flink");
    assertThat(settings.runArgs()).containsExactly("--runner", "flink");
    assertThat(RunSettings.defaults().runArgs()).isEmpty();
    assertThat(RunSettings.defaults().runner()).isEqualTo("local");
    JobBundle b =
        JobBundle.create(
            EXAMPLE.resolve("graph.json"), inputs(), settings, "9.9", "9.9", tmp.resolve("b.zip"));
    Path dir = tmp.resolve("unpacked");
    SafeArchives.unpack(b.zip(), dir);
    assertThat(Files.readString(dir.resolve("run-args.txt")))
        .isEqualTo("--runner\nflink\n")
        .doesNotContain("--flink-master");
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertThat(m.get("settings").get("runner").asText()).isEqualTo("flink");
    assertThatThrownBy(() -> RunSettings.defaults().withRunner("direct"))
        .isInstanceOf(JetLagException.class)
        .hasMessageContaining("[local, flink]");
  }

  @Test
  void missingAndUnknownInputsAreNamed(@TempDir Path tmp) {
    Map<String, Path> only = new LinkedHashMap<>();
    only.put("X", EXAMPLE.resolve("X.npy"));
    assertThatThrownBy(
            () ->
                JobBundle.create(
                    EXAMPLE.resolve("graph.json"),
                    only,
                    RunSettings.defaults(),
                    "1",
                    "1",
                    tmp.resolve("b.zip")))
        .hasMessageContaining("input 'y': no file given");
    Map<String, Path> extra = inputs();
    extra.put("Z", EXAMPLE.resolve("X.npy"));
    assertThatThrownBy(
            () ->
                JobBundle.create(
                    EXAMPLE.resolve("graph.json"),
                    extra,
                    RunSettings.defaults(),
                    "1",
                    "1",
                    tmp.resolve("b.zip")))
        .hasMessageContaining("input 'Z': the graph has no such input");
    assertThat(tmp.resolve("b.zip")).doesNotExist();
  }
}
