package org.jetlag.cli.internal.remote;

import java.time.Duration;
import java.util.Locale;
import org.jetlag.cli.ExitCodes;
import org.jetlag.cli.internal.CliException;
import org.jetlag.cli.internal.VersionProvider;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.RetryPolicy;
import org.jetlag.remote.TapisClient;
import org.jetlag.remote.TapisJobs;
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
