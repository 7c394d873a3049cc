package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jetlag.graph.JetLagException;

/**
 * The remote path of one graph through Tapis: checking the system's runtime, packing and uploading
 * the bundle, submitting the ZIP app, following the job to its end and fetching its outputs and
 * trace into a local folder.
 */
public final class RemoteJobs {
  /** The bundle's name in the job's input folder. */
  public static final String BUNDLE_NAME = "bundle.zip";

  /** The app environment variable naming the folder (on the system) bundles are uploaded to. */
  public static final String STAGING_ENV = "JETLAG_STAGING";

  /**
   * The job's environment variable with the id of the folder under {@link #STAGING_ENV} its bundle
   * was uploaded to: the app removes that folder once Tapis has copied the bundle into the job.
   */
  public static final String STAGED_ID_ENV = "JETLAG_STAGED_ID";

  private RemoteJobs() {}

  /** Where the app keeps the runtime and bundles on the system (absolute paths on the host). */
  public record AppLayout(String runtimeDir, String stagingDir, String rootDir) {
    /** {@code absolute} as a path relative to the system's root folder for the Files API. */
    public String filesPath(String absolute) {
      String root = rootDir.isEmpty() ? "/" : rootDir;
      if (root.equals("/")) {
        return absolute.startsWith("/") ? absolute.substring(1) : absolute;
      }
      String r = root.endsWith("/") ? root : root + "/";
      if (!absolute.startsWith(r)) {
        throw new JetLagException(
            "'" + absolute + "' is not under the system's root folder '" + rootDir + "'");
      }
      return absolute.substring(r.length());
    }
  }

  /** The runtime and staging folders the app declares ({@code JETLAG_RUNTIME}, ...). */
  public static AppLayout layout(TapisClient c, String systemId, String appId, String version) {
    JsonNode app = c.app(appId, version);
    JsonNode sys = c.system(systemId);
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode kv : app.path("jobAttributes").path("parameterSet").path("envVariables")) {
      env.put(kv.path("key").asText(), kv.path("value").asText());
    }
    String runtime = env.getOrDefault(ZipApp.RUNTIME_ENV, "");
    String staging = env.getOrDefault(STAGING_ENV, "");
    if (runtime.isEmpty() || staging.isEmpty()) {
      throw new JetLagException(
          "app '"
              + appId
              + "' version "
              + version
              + " does not set "
              + ZipApp.RUNTIME_ENV
              + " and "
              + STAGING_ENV
              + " in jobAttributes.parameterSet.envVariables: register it with 'jetlag remote"
              + " setup'");
    }
    return new AppLayout(runtime, staging, sys.path("rootDir").asText("/"));
  }

  /** The JetLag runtime version installed on the system ({@code <runtime>/VERSION}). */
  public static String installedVersion(TapisClient c, String systemId, AppLayout layout) {
    String path = layout.filesPath(layout.runtimeDir() + "/VERSION");
    try {
      return c.content(systemId, path).strip();
    } catch (TapisException e) {
      if (e.httpStatus() == 404) {
        throw new JetLagException(
            "system '"
                + systemId
                + "': no JetLag runtime at "
                + layout.runtimeDir()
                + " (no VERSION file): install it once with scripts/install-runtime.sh",
            e);
      }
      throw e;
    }
  }

  /**
   * Checks the runtime, builds and uploads the bundle, and submits the job; returns it (normally
   * PENDING). Nothing is uploaded or submitted when the versions differ.
   *
   * @param scratch a local folder for the bundle file
   * @throws JetLagException when the system's runtime is not {@code s.runtimeVersion()}, an input
   *     is unusable, or a Tapis call fails
   */
  public static RemoteJob submit(TapisClient c, Submission s, Path scratch) {
    AppLayout layout = layout(c, s.systemId(), s.appId(), s.appVersion());
    String installed = installedVersion(c, s.systemId(), layout);
    if (!installed.equals(s.runtimeVersion())) {
      throw new JetLagException(
          "runtime version mismatch: this JetLag is "
              + s.runtimeVersion()
              + " but system '"
              + s.systemId()
              + "' has "
              + installed
              + " installed at "
              + layout.runtimeDir()
              + "; install "
              + s.runtimeVersion()
              + " there (scripts/install-runtime.sh) or submit with JetLag "
              + installed
              + " (nothing was submitted)");
    }
    String id = UUID.randomUUID().toString();
    Path zip = scratch.resolve("jetlag-bundle-" + id + ".zip");
    try {
      JobBundle b =
          JobBundle.create(
              s.graph(), s.inputs(), s.settings(), s.runtimeVersion(), s.runtimeVersion(), zip);
      String dir = layout.stagingDir() + "/" + id;
      c.mkdir(s.systemId(), layout.filesPath(dir));
      c.upload(s.systemId(), layout.filesPath(dir + "/" + BUNDLE_NAME), b.zip());
      String name = (b.graphName() + "-" + id.substring(0, 8)).replaceAll("[^A-Za-z0-9_.-]", "_");
      JobRequest req =
          new JobRequest(
              name,
              s.appId(),
              s.appVersion(),
              Optional.of(s.systemId()),
              s.queue(),
              s.nodes(),
              s.cores(),
              java.util.OptionalInt.empty(),
              s.minutes(),
              List.of(
                  new JobRequest.FileInput(
                      "bundle",
                      "tapis://" + s.systemId() + "/" + layout.filesPath(dir + "/" + BUNDLE_NAME),
                      BUNDLE_NAME)),
              Map.of(STAGED_ID_ENV, id));
      return c.submit(req);
    } finally {
      try {
        Files.deleteIfExists(zip);
      } catch (IOException e) {
        // a stale temporary bundle is harmless
      }
    }
  }

  /**
   * Polls the Tapis job's status until it is FINISHED, FAILED or CANCELLED ({@link
   * JobService#follow}); polls that find no server (the connection dropped, Tapis restarting) are
   * reported to {@code onTrouble} and polling resumes; 4xx answers end the wait.
   */
  public static RemoteJob follow(
      TapisClient c,
      String uuid,
      JobService.Polling polling,
      Clock clock,
      Consumer<RemoteJob> onChange,
      Consumer<String> onTrouble) {
    return new TapisJobs(c).follow(uuid, polling, clock, onChange, onTrouble);
  }

  /**
   * Downloads all of the job's outputs (outputs, {@code trace.json}, {@code jetlag.log}) and
   * unpacks them safely into {@code dir}, which must be new or empty.
   *
   * @return the files unpacked, relative to {@code dir}, sorted
   */
  public static List<String> fetch(TapisClient c, String uuid, Path dir) {
    try {
      Files.createDirectories(dir);
      Path zip = Files.createTempFile(dir.toAbsolutePath().getParent(), ".jetlag-" + uuid, ".zip");
      try {
        c.downloadOutput(uuid, "", zip, false);
        SafeArchives.unpack(zip, dir);
      } finally {
        Files.deleteIfExists(zip);
      }
      try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
        return s.filter(Files::isRegularFile)
            .map(p -> dir.relativize(p).toString())
            .sorted()
            .collect(java.util.stream.Collectors.toList());
      }
    } catch (IOException e) {
      throw new JetLagException("job " + uuid + ": cannot fetch into '" + dir + "': " + e, e);
    }
  }

  /** The last {@code lines} lines of the app's log ({@code jetlag.log}), or empty. */
  public static Optional<String> remoteLog(TapisClient c, String uuid, int lines) {
    try {
      Path tmp = Files.createTempFile("jetlag-log-", ".txt");
      try {
        c.downloadOutput(uuid, "jetlag.log", tmp, true);
        return lastLines(tmp, lines);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | JetLagException e) {
      return Optional.empty();
    }
  }

  /** The last {@code lines} lines of a local log file, or empty when it cannot be read. */
  static Optional<String> lastLines(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return Optional.of(
          String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A one-line description of the job's state for a live status line. */
  public static String describe(RemoteJob j) {
    StringBuilder sb = new StringBuilder(j.status().toLowerCase(Locale.ROOT).replace('_', ' '));
    if (!j.condition().isEmpty()) {
      sb.append(" (").append(j.condition()).append(')');
    }
    return sb.toString();
  }
}
