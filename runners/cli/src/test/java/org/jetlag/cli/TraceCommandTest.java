package org.jetlag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jetlag run --trace} and {@code jetlag trace --chrome}. */
class TraceCommandTest {
  @Test
  void runSavesATraceThatConvertsToChromeJson(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("run.json");
    Path graph = CommandsTest.EXAMPLES.resolve("kmeans/graph.json");
    CliRun run = CliRun.of("run", graph.toString(), "--trace", trace.toString(), "-q");
    assertThat(run.code()).as(run.toString()).isZero();
    Trace t = TraceJson.read(trace);
    assertThat(t.info().graphName()).isEqualTo("kmeans");
    assertThat(t.spans()).isNotEmpty();
    assertThat(t.nodes()).extracting(n -> n.nodeId()).contains("X");

    CliRun chrome = CliRun.of("trace", "--chrome", trace.toString());
    assertThat(chrome.code()).as(chrome.toString()).isZero();
    JsonNode events = new ObjectMapper().readTree(chrome.out()).get("traceEvents");
    assertThat(events.size()).isGreaterThan(t.spans().size());
    long slices = 0;
    for (JsonNode e : events) {
      if (e.get("ph").asText().equals("X")) {
        slices++;
        assertThat(e.get("ts").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(e.get("dur").asDouble()).isGreaterThanOrEqualTo(0);
      }
    }
    assertThat(slices).isEqualTo(t.spans().size());

    Path out = dir.resolve("chrome.json");
    CliRun toFile = CliRun.of("trace", "--chrome", trace.toString(), "-o", out.toString());
    assertThat(toFile.code()).isZero();
    assertThat(Files.readString(out)).isEqualTo(chrome.out());
  }

  @Test
  void aFileThatIsNotATraceIsRefusedWithItsName(@TempDir Path dir) throws Exception {
    Path bogus = dir.resolve("bogus.json");
    Files.writeString(bogus, "{\"hello\": 1}");
    CliRun r = CliRun.of("trace", "--chrome", bogus.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("bogus.json")
        .contains("not a JetLag trace");
    CliRun missing = CliRun.of("trace", "--chrome", dir.resolve("nope.json").toString());
    assertThat(missing.code()).isEqualTo(3);
    assertThat(missing.err()).contains("nope.json").contains("no such file");
  }
}
