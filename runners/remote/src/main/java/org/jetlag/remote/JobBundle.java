package org.jetlag.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.CsvFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.DType;
import org.jetlag.graph.Graph;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.graph.ops.Ops;

/**
 * The small archive uploaded for each remote run: the graph, its inputs as Arrow IPC files, the run
 * settings and a manifest with the SHA-256 of every file and the JetLag runtime version the system
 * must have installed. The heavy runtime is installed once on the system; the ZIP app checks the
 * checksums and the version before it runs anything.
 *
 * <p>Layout: {@code graph.json}, {@code inputs/<name>.arrow}, {@code inputs.txt} (name, tab, file),
 * {@code run-args.txt} (one {@code jetlag run} argument per line), {@code SHA256SUMS} (as {@code
 * sha256sum -c} reads it) and {@code manifest.json}.
 *
 * @param zip the bundle file
 * @param graphName the graph's name
 * @param runtimeVersion the runtime version the bundle needs
 * @param sha256 the checksum of the bundle file itself
 * @param size the bundle's size in bytes
 */
public record JobBundle(
    Path zip, String graphName, String runtimeVersion, String sha256, long size) {
  /** The bundle format this code writes. */
  public static final int FORMAT = 1;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Writes the bundle of {@code graphFile} with the input files {@code inputs} (by graph input
   * name; {@code .arrow}, {@code .npy} or {@code .csv}) to {@code zip}, atomically.
   *
   * @throws JetLagException naming the graph or input when a file is unreadable or invalid
   */
  public static JobBundle create(
      Path graphFile,
      Map<String, Path> inputs,
      RunSettings settings,
      String runtimeVersion,
      String jetlagVersion,
      Path zip) {
    Graph g = GraphJson.read(graphFile);
    Validation.Result v = Validation.validate(g);
    if (!v.ok()) {
      throw new JetLagException(
          graphFile + ": invalid graph: " + v.errors().get(0) + " (see 'jetlag validate')");
    }
    TypedGraph typed = v.typed().orElseThrow();
    Map<String, DType> declared = new LinkedHashMap<>();
    for (Node n : g.inputNodes()) {
      String name = String.valueOf(typed.params(n.id()).get("name"));
      declared.put(name, typed.type(new PortRef(n.id(), Ops.OUT)).dtype());
    }
    for (String name : inputs.keySet()) {
      if (!declared.containsKey(name)) {
        throw new JetLagException(
            graphFile
                + ": input '"
                + name
                + "': the graph has no such input; its inputs are "
                + declared.keySet());
      }
    }
    for (String name : declared.keySet()) {
      if (!inputs.containsKey(name)) {
        throw new JetLagException(
            graphFile + ": input '" + name + "': no file given (--input " + name + "=FILE)");
      }
      if (!NAME.matcher(name).matches()) {
        throw new JetLagException(
            graphFile + ": input '" + name + "': the name is not usable as a file name");
      }
    }
    Path abs = zip.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path stage = Files.createTempDirectory(abs.getParent(), ".bundle-");
      try {
        Files.createDirectories(stage.resolve("inputs"));
        Files.copy(graphFile, stage.resolve("graph.json"));
        StringBuilder inputsTxt = new StringBuilder();
        for (Map.Entry<String, DType> e : declared.entrySet()) {
          String rel = "inputs/" + e.getKey() + ".arrow";
          toArrow(e.getKey(), inputs.get(e.getKey()), e.getValue(), stage.resolve(rel));
          inputsTxt.append(e.getKey()).append('\t').append(rel).append('\n');
        }
        write(stage.resolve("inputs.txt"), inputsTxt.toString());
        StringBuilder args = new StringBuilder();
        settings.runArgs().forEach(a -> args.append(a).append('\n'));
        write(stage.resolve("run-args.txt"), args.toString());
        ObjectNode s = JSON.createObjectNode();
        s.put("runner", settings.runner());
        settings.chunkBytes().ifPresent(b -> s.put("chunkBytes", b));
        settings.memoryBytes().ifPresent(b -> s.put("memoryBytes", b));
        settings.timeout().ifPresent(t -> s.put("timeoutMillis", t.toMillis()));
        write(
            stage.resolve("settings.json"),
            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));

        List<String> files = new ArrayList<>();
        files.add("graph.json");
        declared.keySet().forEach(n -> files.add("inputs/" + n + ".arrow"));
        files.addAll(List.of("inputs.txt", "run-args.txt", "settings.json"));
        ObjectNode m = JSON.createObjectNode();
        m.put("bundleFormat", FORMAT);
        m.put("graph", g.name());
        m.put("runtimeVersion", runtimeVersion);
        m.put("createdBy", "jetlag " + jetlagVersion);
        m.set("settings", s);
        ObjectNode ins = m.putObject("inputs");
        declared.keySet().forEach(n -> ins.put(n, "inputs/" + n + ".arrow"));
        ArrayNode fa = m.putArray("files");
        StringBuilder sums = new StringBuilder();
        for (String f : files) {
          Path p = stage.resolve(f);
          String sum = sha256(p);
          fa.addObject().put("path", f).put("size", Files.size(p)).put("sha256", sum);
          sums.append(sum).append("  ").append(f).append('\n');
        }
        write(stage.resolve("SHA256SUMS"), sums.toString());
        write(
            stage.resolve("manifest.json"),
            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
        files.add("SHA256SUMS");
        files.add("manifest.json");

        Path temp = Files.createTempFile(abs.getParent(), ".bundle-", ".zip.tmp");
        try {
          try (OutputStream os = Files.newOutputStream(temp);
              ZipOutputStream out = new ZipOutputStream(os)) {
            for (String f : files) {
              out.putNextEntry(new ZipEntry(f));
              Files.copy(stage.resolve(f), out);
              out.closeEntry();
            }
          }
          Files.move(
              temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(temp);
        }
      } finally {
        SafeArchives.deleteTree(stage);
      }
      return new JobBundle(abs, g.name(), runtimeVersion, sha256(abs), Files.size(abs));
    } catch (IOException e) {
      throw new JetLagException("job bundle '" + zip + "': cannot write it: " + e.getMessage(), e);
    }
  }

  private static void toArrow(String name, Path src, DType dtype, Path target) {
    String f = src.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!Files.isRegularFile(src)) {
      throw new JetLagException("input '" + name + "': no file '" + src + "'");
    }
    if (f.endsWith(".arrow")) {
      try {
        Files.copy(src, target);
      } catch (IOException e) {
        throw new JetLagException("input '" + name + "': cannot copy '" + src + "': " + e, e);
      }
      return;
    }
    try (BufferAllocator alloc = Allocators.root(Long.MAX_VALUE)) {
      NdArray a;
      if (f.endsWith(".npy")) {
        a = NpyFiles.read(src, alloc, 1 << 16);
      } else if (f.endsWith(".csv")) {
        a = CsvFiles.read(src, alloc, dtype, false, ',');
      } else {
        throw new JetLagException(
            "input '" + name + "': '" + src + "' is not a .arrow, .npy or .csv file");
      }
      try (a) {
        ArrowFiles.write(a, target);
      }
    }
  }

  private static void write(Path p, String text) throws IOException {
    Files.write(p, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of a file as lower-case hex. */
  public static String sha256(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new JetLagException("cannot read '" + p + "': " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
