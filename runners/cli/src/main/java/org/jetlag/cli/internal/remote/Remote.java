package org.jetlag.cli.internal.remote;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetlag.cli.ExitCodes;
import org.jetlag.cli.internal.CliException;
import org.jetlag.cli.internal.VersionProvider;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.JobService;
import org.jetlag.remote.RetryPolicy;
import org.jetlag.remote.SessionJobs;
import org.jetlag.remote.TapisClient;
import org.jetlag.remote.TapisJobs;
import org.jetlag.remote.Target;
import org.jetlag.remote.ZipApp;

/** What the remote commands share: the token store, the client, messages. */
final class Remote {
  private Remote() {}

  static final RetryPolicy RETRY = RetryPolicy.defaults();

  /** The default app version: the JetLag version, so app and runtime always match. */
  static String version() {
    return VersionProvider.version();
  }

  static String defaultApp() {
    return ZipApp.DEFAULT_ID;
  }

  /** A client for the logged-in user; fails with a clear message when there is no login. */
  static TapisClient client() {
    try {
      return TapisJobs.loggedIn().client();
    } catch (JetLagException e) {
      throw new CliException(ExitCodes.RUN_FAILED, "jetlag: " + e.getMessage(), e);
    }
  }

  /** The jobs of {@code target}'s kind: Tapis (needs a login) or Flink session jobs. */
  static JobService service(Target target) {
    return target instanceof Target.Tapis ? new TapisJobs(client()) : sessions();
  }

  /** The service that owns job {@code id}: session jobs are found locally, others are Tapis's. */
  static JobService serviceOf(String id) {
    SessionJobs local = sessions();
    return local.has(id) ? local : new TapisJobs(client());
  }

  /** The Flink session jobs kept on this machine, whose drivers run in a JVM like this one. */
  static SessionJobs sessions() {
    return SessionJobs.at(SessionJobs.defaultRoot(), Remote::driverCommand);
  }

  /**
   * {@code java <this JVM's options> -cp <this class path> org.jetlag.cli.Main job-driver DIR}: the
   * driver runs the same JetLag as the command that submitted it (debugger and profiler agents are
   * left out).
   */
  static List<String> driverCommand(Path dir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib")
          && !a.startsWith("-javaagent")
          && !a.startsWith("-agentpath")
          && !a.startsWith("-Xdebug")
          && !a.startsWith("-Xrunjdwp")) {
        cmd.add(a);
      }
    }
    String home = System.getProperty("jetlag.home");
    if (home != null && cmd.stream().noneMatch(a -> a.startsWith("-Djetlag.home="))) {
      // set while running (tests, embedding): where the driver finds the Beam job jar
      cmd.add("-Djetlag.home=" + home);
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            org.jetlag.cli.Main.class.getName(),
            "job-driver",
            dir.toAbsolutePath().toString()));
    return cmd;
  }

  /** A Tapis or JetLag failure as the command's message and status. */
  static CliException failure(JetLagException e) {
    return new CliException(ExitCodes.RUN_FAILED, "jetlag: " + oneLine(e.getMessage()), e);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
