package org.jetlag.flink.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a JetLag installation keeps the cluster classpath and the job jar. Both can be pointed
 * elsewhere with an environment variable; otherwise they are found under the JetLag folder, which
 * {@code bin/jetlag} passes as the system property {@value #HOME_PROPERTY}.
 */
public final class JetLagFiles {
  /** The system property that names the JetLag folder. */
  public static final String HOME_PROPERTY = "jetlag.home";

  /** The environment variable that names the cluster classpath folder. */
  public static final String FLINK_LIB_ENV = "JETLAG_FLINK_LIB";

  /** The environment variable that names the job jar. */
  public static final String JOB_JAR_ENV = "JETLAG_BEAM_JOB_JAR";

  /** The cluster classpath inside the JetLag folder (built by {@code runners/flink-dist}). */
  public static final String FLINK_LIB_IN_HOME = "runners/flink-dist/target/flink-lib";

  /** The job jar inside the JetLag folder (built by {@code runners/beam-job}). */
  public static final String JOB_JAR_IN_HOME = "runners/beam-job/target/jetlag-beam-job.jar";

  private JetLagFiles() {}

  /**
   * The cluster classpath folder: {@code $JETLAG_FLINK_LIB}, else {@value #FLINK_LIB_IN_HOME} in
   * the JetLag folder; empty when neither is set. The folder may not exist (not built yet).
   */
  public static Optional<Path> flinkLib() {
    return fromEnvOrHome(FLINK_LIB_ENV, FLINK_LIB_IN_HOME);
  }

  /**
   * The job jar to stage with every Flink submission ({@code --filesToStage}): {@code
   * $JETLAG_BEAM_JOB_JAR}, else {@value #JOB_JAR_IN_HOME} in the JetLag folder; empty when neither
   * is set. The file may not exist (not built yet).
   */
  public static Optional<Path> jobJar() {
    return fromEnvOrHome(JOB_JAR_ENV, JOB_JAR_IN_HOME);
  }

  /**
   * The job jar, checked: it exists and is a file.
   *
   * @throws FlinkClusterException naming the place looked at and how to build it
   */
  public static Path requireJobJar() {
    Path jar =
        jobJar()
            .orElseThrow(
                () ->
                    new FlinkClusterException(
                        "cannot tell where the Beam job jar is: set "
                            + JOB_JAR_ENV
                            + " or the system property "
                            + HOME_PROPERTY
                            + " (bin/jetlag sets it)"));
    if (!Files.isRegularFile(jar)) {
      throw new FlinkClusterException(
          "Beam job jar not found: "
              + jar
              + "; build it with 'mvn -pl runners/beam-job -am package -DskipTests' in the JetLag"
              + " folder (or point "
              + JOB_JAR_ENV
              + " at it)");
    }
    return jar;
  }

  private static Optional<Path> fromEnvOrHome(String env, String inHome) {
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(Path.of(fromEnv));
    }
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home).resolve(inHome));
    }
    return Optional.empty();
  }
}
