package org.jetlag.cli.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.cli.internal.CliException;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.RemoteJobs;
import org.jetlag.remote.TapisClient;
import org.jetlag.remote.TapisException;
import org.jetlag.remote.TapisToken;
import org.jetlag.remote.TokenStore;
import org.jetlag.remote.ZipApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jetlag remote login|logout|setup}: the Tapis side of remote runs. */
@Command(
    name = "remote",
    mixinStandardHelpOptions = true,
    description =
        "Log in to a Tapis v3 tenant, log out, and check or register what remote runs need.",
    subcommands = {
      RemoteCommand.Login.class,
      RemoteCommand.Logout.class,
      RemoteCommand.Setup.class
    },
    footer = "%nSee docs/remote.md for a walk-through.")
public final class RemoteCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: expected one of login, logout, setup");
  }

  /** {@code jetlag remote login}. */
  @Command(
      name = "login",
      mixinStandardHelpOptions = true,
      description = {
        "Log in to a Tapis v3 tenant and keep the token in ~/.jetlag/tapis-token.json (readable"
            + " by you alone; $JETLAG_CONFIG_DIR moves it).",
        "The password is read from the terminal, or from $JETLAG_TAPIS_PASSWORD when there is no"
            + " terminal; it is never an argument and never stored."
      })
  static final class Login implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--tapis",
        required = true,
        paramLabel = "URL",
        description = "The tenant's base URL, such as https://tacc.tapis.io.")
    URI url;

    @Option(
        names = "--user",
        required = true,
        paramLabel = "NAME",
        description = "Your Tapis user name.")
    String user;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      char[] password = password(user);
      try {
        TapisToken t = TapisClient.login(url, user, password, Remote.RETRY);
        TokenStore store = TokenStore.defaultStore();
        store.save(t);
        out.println(
            "logged in to "
                + url
                + " as "
                + user
                + "; token valid until "
                + t.expiresAt()
                + " (saved in "
                + store.file()
                + ")");
        out.flush();
        return ExitCodes.OK;
      } catch (JetLagException e) {
        throw Remote.failure(e);
      } finally {
        Arrays.fill(password, '\0');
      }
    }

    private char[] password(String user) {
      Console c = System.console();
      if (c != null) {
        char[] p = c.readPassword("Tapis password for %s: ", user);
        if (p != null) {
          return p;
        }
      }
      String env = System.getenv("JETLAG_TAPIS_PASSWORD");
      if (env != null && !env.isEmpty()) {
        return env.toCharArray();
      }
      throw new CliException(
          ExitCodes.USAGE,
          "jetlag remote login: no terminal to read the password from and JETLAG_TAPIS_PASSWORD"
              + " is not set");
    }
  }

  /** {@code jetlag remote logout}. */
  @Command(
      name = "logout",
      mixinStandardHelpOptions = true,
      description = "Forget the saved Tapis token.")
  static final class Logout implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      TokenStore store = TokenStore.defaultStore();
      boolean had = store.delete();
      spec.commandLine()
          .getOut()
          .println(had ? "logged out (deleted " + store.file() + ")" : "not logged in");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code jetlag remote setup}. */
  @Command(
      name = "setup",
      mixinStandardHelpOptions = true,
      description = {
        "Check what remote runs on SYSTEM need, and say plainly what is missing: the execution"
            + " system (Slurm, ZIP runtime, a batch queue), the JetLag ZIP app, and the JetLag"
            + " runtime installed on the system with the version of this JetLag.",
        "With --register-app, create the app when it is missing: the app archive is uploaded to"
            + " STAGING/apps/ and the app points at RUNTIME. With --system-json, create the system"
            + " from a Tapis ReqPostSystem JSON file first."
      })
  static final class Setup implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--system",
        required = true,
        paramLabel = "ID",
        description = "The Tapis execution system.")
    String system;

    @Option(
        names = "--app",
        paramLabel = "ID",
        description = "The JetLag app's id (default: jetlag-zip).")
    String app = ZipApp.DEFAULT_ID;

    @Option(
        names = "--app-version",
        paramLabel = "V",
        description = "The app's version (default: this JetLag's version).")
    String appVersion;

    @Option(names = "--register-app", description = "Create the app when it is missing.")
    boolean register;

    @Option(
        names = "--runtime",
        paramLabel = "DIR",
        description =
            "With --register-app: the runtime folder on the system (scripts/install-runtime.sh).")
    String runtime;

    @Option(
        names = "--staging",
        paramLabel = "DIR",
        description =
            "With --register-app: a folder on the system for job bundles and the app archive.")
    String staging;

    @Option(
        names = "--system-json",
        paramLabel = "FILE",
        description = "Create the system from this ReqPostSystem JSON file when it is missing.")
    Path systemJson;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String version = appVersion == null ? Remote.version() : appVersion;
      TapisClient c = Remote.client();
      boolean ok = true;
      try {
        JsonNode sys;
        try {
          sys = c.system(system);
        } catch (TapisException e) {
          if (e.httpStatus() != 404 || systemJson == null) {
            out.println(
                "system '" + system + "': MISSING (" + Remote.oneLine(e.getMessage()) + ")");
            out.println("  ask your center for an execution system, or give --system-json FILE");
            out.flush();
            return ExitCodes.RUN_FAILED;
          }
          c.createSystem((ObjectNode) new ObjectMapper().readTree(Files.readString(systemJson)));
          out.println("system '" + system + "': created from " + systemJson);
          sys = c.system(system);
        }
        ok &= checkSystem(out, sys);
        JsonNode a;
        try {
          a = c.app(app, version);
          out.println(
              "app '"
                  + app
                  + "' "
                  + version
                  + ": ok (runtime "
                  + a.path("runtime").asText()
                  + ", "
                  + a.path("containerImage").asText()
                  + ")");
        } catch (TapisException e) {
          if (e.httpStatus() != 404) {
            throw e;
          }
          if (!register) {
            out.println(
                "app '"
                    + app
                    + "' "
                    + version
                    + ": MISSING; create it with --register-app --runtime DIR --staging DIR");
            out.flush();
            return ExitCodes.RUN_FAILED;
          }
          registerApp(c, out, version);
        }
        RemoteJobs.AppLayout layout = RemoteJobs.layout(c, system, app, version);
        try {
          String installed = RemoteJobs.installedVersion(c, system, layout);
          if (installed.equals(Remote.version())) {
            out.println("runtime: ok (JetLag " + installed + " at " + layout.runtimeDir() + ")");
          } else {
            out.println(
                "runtime: VERSION MISMATCH: "
                    + layout.runtimeDir()
                    + " has "
                    + installed
                    + ", this JetLag is "
                    + Remote.version()
                    + "; install it with scripts/install-runtime.sh");
            ok = false;
          }
        } catch (JetLagException e) {
          out.println("runtime: MISSING: " + Remote.oneLine(e.getMessage()));
          ok = false;
        }
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.USAGE,
            "jetlag remote setup: cannot read " + systemJson + ": " + e.getMessage(),
            e);
      } catch (JetLagException e) {
        throw Remote.failure(e);
      }
      out.println(
          ok ? "ready: jetlag submit GRAPH --target tapis:" + system : "not ready: see above");
      out.flush();
      return ok ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }

    private boolean checkSystem(PrintWriter out, JsonNode sys) {
      boolean ok = true;
      StringBuilder why = new StringBuilder();
      if (!sys.path("canExec").asBoolean(false)) {
        why.append("; it cannot run jobs (canExec false)");
        ok = false;
      }
      if (!"SLURM".equals(sys.path("batchScheduler").asText())) {
        why.append("; its batch scheduler is not SLURM");
        ok = false;
      }
      boolean zip = false;
      for (JsonNode r : sys.path("jobRuntimes")) {
        zip |= "ZIP".equals(r.path("runtimeType").asText());
      }
      if (!zip) {
        why.append("; it has no ZIP job runtime");
        ok = false;
      }
      JsonNode queues = sys.path("batchLogicalQueues");
      if (queues.size() == 0) {
        why.append("; it has no batch queue");
        ok = false;
      }
      out.println(
          "system '"
              + system
              + "': "
              + (ok ? "ok" : "NOT USABLE" + why)
              + " (host "
              + sys.path("host").asText()
              + ")");
      for (JsonNode q : queues) {
        out.println(
            "  queue '"
                + q.path("name").asText()
                + "' -> Slurm partition '"
                + q.path("hpcQueueName").asText()
                + "': up to "
                + q.path("maxNodeCount").asInt(0)
                + " node(s) x "
                + q.path("maxCoresPerNode").asInt(0)
                + " core(s), "
                + q.path("maxMinutes").asInt(0)
                + " min"
                + (q.path("name").asText().equals(sys.path("batchDefaultLogicalQueue").asText())
                    ? " (default)"
                    : ""));
      }
      return ok;
    }

    private void registerApp(TapisClient c, PrintWriter out, String version) throws IOException {
      if (runtime == null || staging == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "jetlag remote setup --register-app: give --runtime DIR and --staging DIR (absolute paths on the system)");
      }
      JsonNode sys = c.system(system);
      RemoteJobs.AppLayout layout =
          new RemoteJobs.AppLayout(runtime, staging, sys.path("rootDir").asText("/"));
      Path zip = Files.createTempFile("jetlag-app-", ".zip");
      String remote = staging + "/apps/" + app + "-" + version + ".zip";
      try {
        ZipApp.write(zip);
        c.mkdir(system, layout.filesPath(staging + "/apps"));
        c.upload(system, layout.filesPath(remote), zip);
      } finally {
        Files.deleteIfExists(zip);
      }
      ObjectMapper m = new ObjectMapper();
      ObjectNode a = m.createObjectNode();
      a.put("id", app);
      a.put("version", version);
      a.put(
          "description",
          "JetLag ZIP app: runs a JetLag job bundle with the runtime installed at " + runtime);
      a.put("runtime", "ZIP");
      a.put("containerImage", remote);
      a.put("jobType", "BATCH");
      ObjectNode attrs = a.putObject("jobAttributes");
      attrs.put("execSystemId", system);
      attrs.put("nodeCount", 1);
      attrs.put("coresPerNode", 1);
      attrs.put("memoryMB", 1024);
      attrs.put("maxMinutes", 10);
      attrs.put("archiveOnAppError", true);
      var env = attrs.putObject("parameterSet").putArray("envVariables");
      env.addObject().put("key", ZipApp.RUNTIME_ENV).put("value", runtime);
      env.addObject().put("key", RemoteJobs.STAGING_ENV).put("value", staging);
      c.createApp(a);
      out.println(
          "app '"
              + app
              + "' "
              + version
              + ": created (archive "
              + remote
              + ", runtime "
              + runtime
              + ")");
    }
  }
}
