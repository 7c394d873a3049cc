package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jetlag.flink.cluster.FlinkCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jetlag cluster start|status|stop} in-process, on a real session cluster. */
class ClusterCommandTest {
  /** Built before this module: jetlag-flink-cluster's tests depend on runners/flink-dist. */
  static final Path FLINK_LIB =
      Path.of("../flink-dist/target/flink-lib").toAbsolutePath().normalize();

  @Test
  @Tag("flink-cluster")
  @Timeout(120)
  void startStatusStop() throws Exception {
    Path dir = Path.of("target", "cluster-command-test").toAbsolutePath();
    try {
      CliRun start =
          CliRun.of(
              "cluster",
              "start",
              "--dir",
              dir.toString(),
              "--flink-lib",
              FLINK_LIB.toString(),
              "--slots",
              "2",
              "--jm-memory",
              "768MiB",
              "--config",
              "taskmanager.memory.task.off-heap.size=64m");
      assertThat(start.code()).as(start.toString()).isZero();
      assertThat(start.out())
          .contains("Flink session cluster ready in", "1 TaskManager, 2 slots in all")
          .containsPattern("REST address: 127\\.0\\.0\\.1:\\d+")
          .containsPattern(
              "jetlag run graph.json --runner flink --flink-master 127\\.0\\.0\\.1:\\d+")
          .contains("jetlag cluster stop --dir " + dir);

      assertThat(Files.readString(dir.resolve("conf/flink-conf.yaml")))
          .contains("taskmanager.memory.task.off-heap.size: 64m");

      CliRun again =
          CliRun.of(
              "cluster", "start", "--dir", dir.toString(), "--flink-lib", FLINK_LIB.toString());
      assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(again.errLines())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("jetlag cluster start: a Flink cluster is already running in " + dir);

      CliRun status = CliRun.of("cluster", "status", "--dir", dir.toString());
      assertThat(status.code()).as(status.toString()).isZero();
      assertThat(status.out())
          .contains(": healthy", "Flink version: 1.19.0", "1 registered of 1 started")
          .contains("slots: 2 total, 2 available", "0 running")
          .containsPattern("jobmanager: +pid \\d+, alive")
          .containsPattern("taskmanager-1: +pid \\d+, alive");

      // A TaskManager for another node: its command line, from the recorded cluster.
      CliRun print =
          CliRun.of(
              "cluster",
              "taskmanager",
              "--dir",
              dir.toString(),
              "--host",
              "127.0.0.2",
              "--name",
              "taskmanager-b",
              "--print");
      assertThat(print.code()).as(print.toString()).isZero();
      assertThat(print.out().lines())
          .contains(
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
              "-Dtaskmanager.host=127.0.0.2",
              "-Dlog.file=" + dir.resolve("log/taskmanager-b.log"));
      CliRun wait =
          CliRun.of("cluster", "wait", "--dir", dir.toString(), "--taskmanagers", "1", "-q");
      assertThat(wait.code()).as(wait.toString()).isZero();
      assertThat(wait.out().strip()).matches("1 2 \\d+");
      CliRun tooMany =
          CliRun.of(
              "cluster", "wait", "--dir", dir.toString(), "--taskmanagers", "2", "--timeout", "1s");
      assertThat(tooMany.code()).as(tooMany.toString()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(tooMany.err())
          .contains("jetlag cluster wait: Flink cluster in " + dir)
          .contains("1 of 2 TaskManagers registered within 1 s");

      CliRun stop = CliRun.of("cluster", "stop", "--dir", dir.toString());
      assertThat(stop.code()).as(stop.toString()).isZero();
      assertThat(stop.out()).contains("Stopped the Flink cluster in " + dir, "terminated");
      assertThat(dir.resolve("cluster.json")).doesNotExist();

      CliRun none = CliRun.of("cluster", "status", "--dir", dir.toString());
      assertThat(none.code()).isEqualTo(ExitCodes.RUN_FAILED);
      assertThat(none.err()).contains("no Flink cluster is recorded in " + dir);
      CliRun stopAgain = CliRun.of("cluster", "stop", "--dir", dir.toString());
      assertThat(stopAgain.code()).isZero();
      assertThat(stopAgain.out()).contains("nothing to stop");
    } finally {
      FlinkCluster.stop(dir);
    }
  }

  @Test
  void missingFlinkLibIsAClearError(@TempDir Path tmp) {
    Path lib = tmp.resolve("flink-lib");
    CliRun r =
        CliRun.of(
            "cluster",
            "start",
            "--dir",
            tmp.resolve("c").toString(),
            "--flink-lib",
            lib.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(r.errLines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("jetlag cluster start: Flink cluster classpath not found: " + lib)
        .contains("mvn -pl runners/flink-dist package");
    assertThat(Files.exists(tmp.resolve("c/cluster.json"))).isFalse();
  }

  @Test
  void badValuesAreUsageErrors(@TempDir Path tmp) {
    CliRun r =
        CliRun.of(
            "cluster",
            "start",
            "--dir",
            tmp.toString(),
            "--flink-lib",
            tmp.toString(),
            "--taskmanagers",
            "0");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .startsWith("jetlag cluster start: --taskmanagers: expected at least 1, got 0");
    CliRun small = CliRun.of("cluster", "start", "--dir", tmp.toString(), "--memory", "100MiB");
    assertThat(small.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(small.err())
        .contains("--memory: Flink needs at least 512MiB per process, got 100MiB");
    CliRun badKey =
        CliRun.of(
            "cluster",
            "start",
            "--dir",
            tmp.toString(),
            "--flink-lib",
            tmp.toString(),
            "--config",
            "a b=1");
    assertThat(badKey.code()).as(badKey.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(badKey.err()).contains("config key: expected a Flink option name, got 'a b'");
    CliRun badName =
        CliRun.of(
            "cluster", "taskmanager", "--dir", tmp.toString(), "--host", "h", "--name", "../x");
    assertThat(badName.code()).as(badName.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(badName.err()).contains("name: expected 1 to 64 letters");
    CliRun noCluster =
        CliRun.of("cluster", "taskmanager", "--dir", tmp.toString(), "--host", "127.0.0.2");
    assertThat(noCluster.code()).as(noCluster.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(noCluster.err())
        .startsWith("jetlag cluster taskmanager: no Flink cluster is recorded in " + tmp);
    CliRun noWait = CliRun.of("cluster", "wait", "--dir", tmp.toString(), "--taskmanagers", "1");
    assertThat(noWait.code()).as(noWait.toString()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(noWait.err()).contains("no Flink cluster is recorded in " + tmp);
    CliRun zero = CliRun.of("cluster", "wait", "--dir", tmp.toString(), "--taskmanagers", "0");
    assertThat(zero.code()).isEqualTo(ExitCodes.USAGE);
    CliRun missing = CliRun.of("cluster");
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("expected one of start, status, stop");
  }
}
