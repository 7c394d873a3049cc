// Produces a real trace of examples/kmeans on the local runner and writes the trace, the HTML
// report and the CSV profile. Run by scripts/report-screenshot.sh with the examples classpath:
//   java -cp examples/target/classes:$(cat cp.txt) scripts/KmeansReport.java OUT_DIR [POINTS]
// The points are generated (three seeded Gaussian clusters) so the run is long enough to show
// parallel work; the initial centroids come from examples/kmeans/init.npy.

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.ChromeTrace;
import org.jetlag.perf.HtmlReport;
import org.jetlag.perf.ProfileCsv;
import org.jetlag.perf.TraceJson;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;

public class KmeansReport {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]).toAbsolutePath();
    int points = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
    Files.createDirectories(out);
    Path example = Path.of("examples/kmeans").toAbsolutePath();
    Path data = Files.createTempDirectory("jetlag-kmeans");
    writeNpy(data.resolve("X.npy"), points);
    Files.copy(example.resolve("init.npy"), data.resolve("init.npy"), StandardCopyOption.REPLACE_EXISTING);
    var graph = Validation.check(GraphJson.read(example.resolve("graph.json")));
    try (LocalRunner runner = LocalRunner.withThreads(4, 4L << 30);
        RunResult r =
            runner.run(
                graph,
                RunRequest.create()
                    .withBaseDir(data)
                    .withInput("X", data.resolve("X.npy"))
                    .withInput("init", data.resolve("init.npy"))
                    .withOptions(RunOptions.defaults().withChunkBytes(512 << 10)))) {
      TraceJson.write(r.trace(), out.resolve("kmeans-trace.json"));
      ChromeTrace.write(r.trace(), out.resolve("kmeans-chrome.json"));
      ProfileCsv.write(r.trace(), out.resolve("kmeans-profile.csv"));
      HtmlReport.write(r.trace(), out.resolve("report.html"));
      System.out.print(r.profile().table(12));
    }
  }

  private static void writeNpy(Path file, int n) throws IOException {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", 2), }";
    int len = 10 + dict.length() + 1;
    int pad = (64 - len % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 16 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    double[][] centres = {{0, 0}, {5, 5}, {-4, 6}};
    Random rnd = new Random(42);
    for (int i = 0; i < n; i++) {
      double[] c = centres[i % 3];
      b.putDouble(c[0] + rnd.nextGaussian()).putDouble(c[1] + rnd.nextGaussian());
    }
    b.flip();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }
}
