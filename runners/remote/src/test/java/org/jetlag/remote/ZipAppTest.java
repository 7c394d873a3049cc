package org.jetlag.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipAppTest {
  @Test
  void theArchiveHoldsAnExecutableTapisjobAppScript(@TempDir Path tmp) throws IOException {
    Path zip = tmp.resolve("app.zip");
    ZipApp.write(zip);
    try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
      ZipArchiveEntry e = z.getEntry("tapisjob_app.sh");
      assertThat(e).isNotNull();
      assertThat(e.getUnixMode() & 0777).isEqualTo(0755);
    }
  }

  @Test
  void theScriptParsesAndStartsAndStopsFlinkOnlyWhenAskedFor(@TempDir Path tmp)
      throws IOException, InterruptedException {
    String script = new String(ZipApp.resource("tapisjob_app.sh"), StandardCharsets.UTF_8);
    assertThat(script)
        .contains("start_flink_cluster()")
        .contains("stop_flink_cluster()")
        .contains("trap on_exit EXIT")
        .contains("cluster start --dir \"$flink_dir\" --slots \"${SLURM_CPUS_ON_NODE:-1}\"")
        .contains("cluster stop --dir \"$flink_dir\"")
        .contains("run_args+=(--flink-master \"$addr\" --work-dir \"$work/beam\")")
        .contains("srun --overlap -N1 -n1 -w \"$n\"")
        .contains("cluster taskmanager --dir \"$flink_dir\"")
        .contains("cluster wait --dir \"$flink_dir\" --taskmanagers \"$want\"")
        .contains("remove_staged_bundle")
        .contains("sha256sum --quiet -c SHA256SUMS")
        .contains("runtime version mismatch");
    Path f = tmp.resolve("tapisjob_app.sh");
    java.nio.file.Files.write(f, script.getBytes(StandardCharsets.UTF_8));
    Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
  }
}
