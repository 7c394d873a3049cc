package org.jetlag.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The REST client's and the spec's errors, without a cluster. */
class FlinkRestTest {
  @Test
  void unreachableClusterIsNamed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String address = "127.0.0.1:" + port;
    FlinkRest rest = new FlinkRest(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThatThrownBy(() -> rest.overview(address))
        .isInstanceOf(FlinkClusterException.class)
        .hasMessage(
            "Flink cluster at "
                + address
                + " is not reachable: connection refused (is the cluster"
                + " running?)");
  }

  @Test
  void silentServerTimesOut() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + s.getLocalPort();
      FlinkRest rest = new FlinkRest(Duration.ofSeconds(1), Duration.ofMillis(300));
      assertThatThrownBy(() -> rest.flinkVersion(address))
          .isInstanceOf(FlinkClusterException.class)
          .hasMessageStartingWith("Flink cluster at " + address + ": GET /config got no answer");
    }
  }

  @Test
  void badArgumentsAreRefused() {
    FlinkRest rest = new FlinkRest();
    assertThatThrownBy(() -> rest.overview("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected host:port, got 'localhost'");
    assertThatThrownBy(() -> rest.jobDetails("127.0.0.1:1", "../config"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a Flink job id");
  }

  @Test
  void specValidatesItsValues() {
    ClusterSpec spec = ClusterSpec.of(Path.of("c"), Path.of("lib"));
    assertThat(spec.dir()).isAbsolute();
    assertThat(spec.host()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> spec.withTaskManagers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("taskManagers: expected at least 1, got 0");
    assertThatThrownBy(() -> spec.withTaskManagerMemory(100L << 20))
        .hasMessage("taskManagerMemoryBytes: expected at least 512 MiB, got 100 MiB");
    assertThat(spec.withConfig("b", "2").withConfig("a", "1").config().keySet())
        .containsExactly("a", "b");
  }
}
