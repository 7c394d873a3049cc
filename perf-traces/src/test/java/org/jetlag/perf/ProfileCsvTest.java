package org.jetlag.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCsvTest {
  @Test
  void oneRowPerNodeWithTheHeaderAndNumbersInMillisAndMicros() throws IOException {
    Trace t = TraceGenerator.seeded(3).generate();
    String csv = csv(t);
    String[] lines = csv.split("\r\n", -1);
    assertThat(lines[0]).isEqualTo(ProfileCsv.HEADER);
    assertThat(lines).hasSize(t.nodes().size() + 2); // header, rows, "" after the last CRLF
    assertThat(lines[lines.length - 1]).isEmpty();
    NodeProfile n = t.nodes().get(1);
    String[] f = lines[2].split(",");
    assertThat(f).hasSize(14);
    assertThat(f[0]).isEqualTo(n.nodeId());
    assertThat(f[1]).isEqualTo(n.op());
    assertThat(Long.parseLong(f[2])).isEqualTo(n.calls());
    assertThat(Double.parseDouble(f[3]))
        .isCloseTo(n.totalNanos() / 1e6, org.assertj.core.data.Offset.offset(0.001));
    assertThat(Double.parseDouble(f[7]))
        .isCloseTo(n.medianNanos() / 1e3, org.assertj.core.data.Offset.offset(0.1));
    assertThat(Long.parseLong(f[13])).isEqualTo(n.bytesOut());
    double shares = 0;
    for (int i = 1; i < lines.length - 1; i++) {
      shares += Double.parseDouble(lines[i].split(",")[5]);
    }
    assertThat(shares).isCloseTo(100, org.assertj.core.data.Offset.offset(0.2));
  }

  @Test
  void fieldsAreQuotedAsInRfc4180() {
    assertThat(ProfileCsv.field("plain")).isEqualTo("plain");
    assertThat(ProfileCsv.field("a,b")).isEqualTo("\"a,b\"");
    assertThat(ProfileCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ProfileCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
  }

  @Test
  void quotesHostileNodeIdsInRows() throws IOException {
    Trace t = TraceGenerator.seeded(3).generate();
    NodeProfile p = new NodeProfile("a,\"b\"", "sub", 1, 1000, 1000, 1000, 1000, 1000, 0, 0, 0, 0);
    Trace h = new Trace(t.info(), t.graph(), List.of(p), List.of(), List.of(), 0);
    assertThat(csv(h))
        .contains("\r\n\"a,\"\"b\"\"\",sub,1,0.001,0.001,100.00,1.0,1.0,1.0,1.0,0,0,0,0\r\n");
  }

  @Test
  void numbersDoNotDependOnTheLocale() throws IOException {
    Trace t = TraceGenerator.seeded(3).generate();
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      String de = csv(t);
      Locale.setDefault(Locale.US);
      assertThat(csv(t)).isEqualTo(de);
      assertThat(de).doesNotContain(";");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void writesAFileAtomically(@TempDir Path dir) throws IOException {
    Trace t = TraceGenerator.seeded(3).generate();
    Path file = dir.resolve("run.csv");
    ProfileCsv.write(t, file);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(csv(t));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  private static String csv(Trace t) throws IOException {
    StringWriter w = new StringWriter();
    ProfileCsv.write(t, w);
    return w.toString();
  }
}
