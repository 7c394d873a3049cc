package org.jetlag.editor.fx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.jetlag.editor.JobSource;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.SessionJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's job sources with the real services (no toolkit): Flink session jobs kept in the
 * JetLag settings folder, and Tapis through the real token store, which without a login says how to
 * log in.
 */
class EditorAppTest {
  @TempDir Path config;
  private String configBefore;
  private String homeBefore;

  @BeforeEach
  void settings() {
    configBefore = System.getProperty("jetlag.config.dir");
    homeBefore = System.getProperty("jetlag.home");
    System.setProperty("jetlag.config.dir", config.toString());
  }

  @AfterEach
  void restore() {
    restore("jetlag.config.dir", configBefore);
    restore("jetlag.home", homeBefore);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void flinkSessionJobsAndTapisWithItsLoginMessage() {
    List<JobSource> sources = EditorApp.jobSources();
    assertThat(sources).extracting(JobSource::kind).containsExactly("flink", "tapis");

    assertThatThrownBy(() -> sources.get(1).service().get())
        .isInstanceOf(JetLagException.class)
        .hasMessage(
            "not logged in to Tapis: run 'jetlag remote login --tapis URL --user NAME' first");

    System.clearProperty("jetlag.home");
    assertThatThrownBy(() -> sources.get(0).service().get())
        .isInstanceOf(JetLagException.class)
        .hasMessageContaining("start the editor with 'jetlag edit'");
    System.setProperty("jetlag.home", config.toString());
    SessionJobs flink = (SessionJobs) sources.get(0).service().get();
    assertThat(flink.root()).isEqualTo(config.resolve("jobs"));
    assertThat(flink.jobs(10)).isEmpty();
  }
}
