package org.jetlag.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the cluster classpath and the job jar are looked for. */
class JetLagFilesTest {
  private final String savedHome = System.getProperty(JetLagFiles.HOME_PROPERTY);

  @AfterEach
  void restoreHome() {
    if (savedHome == null) {
      System.clearProperty(JetLagFiles.HOME_PROPERTY);
    } else {
      System.setProperty(JetLagFiles.HOME_PROPERTY, savedHome);
    }
  }

  @Test
  void environmentFirstThenTheJetLagFolder(@TempDir Path home) {
    System.setProperty(JetLagFiles.HOME_PROPERTY, home.toString());
    String libEnv = System.getenv(JetLagFiles.FLINK_LIB_ENV);
    String jarEnv = System.getenv(JetLagFiles.JOB_JAR_ENV);
    assertThat(JetLagFiles.flinkLib())
        .contains(
            libEnv != null && !libEnv.isBlank()
                ? Path.of(libEnv)
                : home.resolve("runners/flink-dist/target/flink-lib"));
    Path jar =
        jarEnv != null && !jarEnv.isBlank()
            ? Path.of(jarEnv)
            : home.resolve("runners/beam-job/target/jetlag-beam-job.jar");
    assertThat(JetLagFiles.jobJar()).contains(jar);
    if (jarEnv == null || jarEnv.isBlank()) {
      assertThatThrownBy(JetLagFiles::requireJobJar)
          .isInstanceOf(FlinkClusterException.class)
          .hasMessageStartingWith("Beam job jar not found: " + jar)
          .hasMessageContaining("mvn -pl runners/beam-job -am package -DskipTests");
    }
  }
}
