package org.jetlag.testsupport.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that brings up the real testbed of {@code scripts/testbed} once per test run:
 * munge, MariaDB, slurmdbd, slurmctld, a slurmd per Slurm node (node1 on 127.0.0.1, node2 on
 * 127.0.0.2, ...; {@code $JETLAG_TESTBED_NODES}, default 2) and sshd, in {@code
 * target/slurm-testbed} of the module under test. It installs the packages first when they are
 * missing (as root, with apt-get), and stops every daemon by its recorded PID when the test run
 * ends. When the packages cannot be installed or the daemons do not start, the tests fail with the
 * scripts' message; they are never skipped silently. Tests receive the {@link Env} as a parameter.
 */
public final class SlurmTestbed implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SlurmTestbed.class);

  /**
   * What a client needs to reach the testbed.
   *
   * @param runDir the run folder (configs, keys, logs)
   * @param repo the repository root
   * @param sshPort sshd's port on 127.0.0.1
   * @param sshUser the user to log in as
   * @param javaKey the client private key a Java SSH client can read (ECDSA)
   * @param hostPublicKey sshd's ECDSA host key
   * @param slurmConf the slurm.conf clients use
   * @param nodes the Slurm nodes, all in the default partition
   * @param cpusPerNode the CPUs each node has in Slurm
   * @param startSeconds how long bringing it up took
   */
  public record Env(
      Path runDir,
      Path repo,
      int sshPort,
      String sshUser,
      Path javaKey,
      Path hostPublicKey,
      Path slurmConf,
      int nodes,
      int cpusPerNode,
      double startSeconds) {

    /**
     * Runs a command on this machine with {@code SLURM_CONF} set; returns stdout (deadline 60 s).
     */
    public String run(String... command) {
      return SlurmTestbed.run(List.of(command), Map.of("SLURM_CONF", slurmConf.toString()), 60).out;
    }
  }

  private static final class Running implements ExtensionContext.Store.CloseableResource {
    final Env env;

    Running(Env env) {
      this.env = env;
    }

    @Override
    public void close() {
      Result r =
          SlurmTestbed.run(
              List.of(
                  env.repo().resolve("scripts/testbed/stop.sh").toString(),
                  env.runDir().toString()),
              Map.of(),
              120);
      if (r.code != 0) {
        System.err.println("slurm testbed: stop.sh failed: " + r.out + r.err);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    env(context);
  }

  /** The testbed, started on first use in this test run. */
  public static Env env(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(NS);
    return store.getOrComputeIfAbsent("testbed", k -> new Running(start()), Running.class).env;
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == Env.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return env(c);
  }

  private static Env start() {
    Path repo = repoRoot();
    Path scripts = repo.resolve("scripts/testbed");
    Result install = run(List.of(scripts.resolve("install.sh").toString()), Map.of(), 900);
    if (install.code != 0) {
      throw new IllegalStateException(
          "the Slurm testbed's packages are missing and could not be installed (scripts/testbed/"
              + "install.sh, needs root and apt-get): "
              + install.out
              + install.err);
    }
    Path runDir = runDir();
    long t0 = System.nanoTime();
    Result start =
        run(List.of(scripts.resolve("start.sh").toString(), runDir.toString()), Map.of(), 240);
    double secs = (System.nanoTime() - t0) / 1e9;
    if (start.code != 0) {
      throw new IllegalStateException(
          "the Slurm testbed did not start (scripts/testbed/start.sh "
              + runDir
              + "): "
              + start.err
              + start.out);
    }
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(runDir.resolve("testbed.env"))) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("slurm testbed: no testbed.env in " + runDir, e);
    }
    return new Env(
        runDir,
        repo,
        Integer.parseInt(env.get("SSH_PORT")),
        env.get("SSH_USER"),
        Path.of(env.get("SSH_JAVA_KEY")),
        Path.of(env.get("SSH_HOST_KEY_PUB")),
        Path.of(env.get("SLURM_CONF")),
        Integer.parseInt(env.getOrDefault("SLURM_NODES", "1")),
        Integer.parseInt(env.getOrDefault("SLURM_CPUS", "2")),
        secs);
  }

  /**
   * The run folder: {@code $JETLAG_TESTBED_DIR}, else {@code <tmp>/jetlag-testbed-<hash of the
   * working folder>}. Under the temporary folder because munged and mariadbd run as their own users
   * and could not reach a checkout under {@code /root}; one per checkout, so worktrees do not share
   * one.
   */
  static Path runDir() {
    String given = System.getenv("JETLAG_TESTBED_DIR");
    if (given != null && !given.isEmpty()) {
      return Path.of(given).toAbsolutePath();
    }
    String cwd = Path.of("").toAbsolutePath().toString();
    String hash;
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(cwd.getBytes(StandardCharsets.UTF_8));
      hash = java.util.HexFormat.of().formatHex(d).substring(0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "jetlag-testbed-" + hash);
  }

  /** The repository root: the nearest folder above the working folder with scripts/testbed. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("scripts/testbed/start.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find scripts/testbed/start.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  private static final class Result {
    final int code;
    final String out;
    final String err;

    Result(int code, String out, String err) {
      this.code = code;
      this.out = out;
      this.err = err;
    }
  }

  private static Result run(List<String> cmd, Map<String, String> extraEnv, int seconds) {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
    pb.environment().putAll(extraEnv);
    try {
      Path out = Files.createTempFile("testbed-", ".out");
      Path err = Files.createTempFile("testbed-", ".err");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Result(-1, "", String.join(" ", cmd) + ": no result after " + seconds + " s");
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return new Result(-1, "", String.join(" ", cmd) + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
  }
}
