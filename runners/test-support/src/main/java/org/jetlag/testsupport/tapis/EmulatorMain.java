package org.jetlag.testsupport.tapis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Tapis v3 EMULATOR (not Tapis) for a demo against a running testbed: {@code
 * scripts/testbed/tapis-emulator.sh RUN_DIR}. It registers the user {@code $JETLAG_EMULATOR_USER}
 * (default {@code demo}) with the password {@code $JETLAG_TAPIS_PASSWORD} and the execution system
 * {@code testbed} (the testbed's Slurm over its sshd, root folder {@code RUN_DIR/hpc}), prints its
 * URL and serves until interrupted.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  /** {@code EmulatorMain RUN_DIR}. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println(
          "usage: tapis-emulator.sh RUN_DIR (a running scripts/testbed/start.sh RUN_DIR)");
      System.exit(2);
    }
    Path run = Path.of(args[0]).toAbsolutePath();
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(run.resolve("testbed.env"))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    String user = System.getenv().getOrDefault("JETLAG_EMULATOR_USER", "demo");
    String password = System.getenv("JETLAG_TAPIS_PASSWORD");
    if (password == null || password.isEmpty()) {
      System.err.println(
          "tapis-emulator: set JETLAG_TAPIS_PASSWORD to the password the demo user gets");
      System.exit(2);
    }
    Path hpc = run.resolve("hpc");
    Files.createDirectories(hpc.resolve("work"));
    TapisEmulator emu =
        TapisEmulator.start(
            new TapisEmulator.Config(
                Path.of(env.get("SSH_JAVA_KEY")),
                Path.of(env.get("SSH_HOST_KEY_PUB")),
                Duration.ofHours(4),
                Duration.ofMillis(500),
                Duration.ofSeconds(5)));
    emu.addUser(user, password);
    ObjectNode s = TapisEmulator.JSON.createObjectNode();
    s.put("id", "testbed");
    s.put("description", "Slurm on 127.0.0.1 (JetLag testbed " + run + ")");
    s.put("systemType", "LINUX");
    s.put("host", "127.0.0.1");
    s.put("port", Integer.parseInt(env.get("SSH_PORT")));
    s.put("effectiveUserId", env.get("SSH_USER"));
    s.put("defaultAuthnMethod", "PKI_KEYS");
    s.put("rootDir", hpc.toString());
    s.put("canExec", true);
    s.putArray("jobRuntimes").addObject().put("runtimeType", "ZIP");
    s.put("jobWorkingDir", hpc.resolve("work").toString());
    s.put("canRunBatch", true);
    s.put("batchScheduler", "SLURM");
    s.putArray("batchLogicalQueues")
        .addObject()
        .put("name", "debug")
        .put("hpcQueueName", env.getOrDefault("SLURM_PARTITION", "debug"))
        .put("maxNodeCount", 1)
        .put("maxCoresPerNode", Integer.parseInt(env.getOrDefault("SLURM_CPUS", "2")))
        .put("maxMemoryMB", 4000)
        .put("maxMinutes", 60);
    s.put("batchDefaultLogicalQueue", "debug");
    register(emu.baseUrl(), user, password, s);
    System.out.println("Tapis v3 EMULATOR (not Tapis) at " + emu.baseUrl());
    System.out.println(
        "  user '"
            + user
            + "', execution system 'testbed' (Slurm over sshd on port "
            + env.get("SSH_PORT")
            + ", root "
            + hpc
            + ")");
    System.out.println("  stop with Ctrl-C");
    System.out.flush();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emu.close();
                  done.countDown();
                }));
    done.await();
  }

  private static void register(URI base, String user, String password, ObjectNode system)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    ObjectNode login = TapisEmulator.JSON.createObjectNode();
    login.put("username", user).put("password", password).put("grant_type", "password");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v3/oauth2/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(login.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String jwt =
        TapisEmulator.JSON
            .readTree(r.body())
            .path("result")
            .path("access_token")
            .path("access_token")
            .asText();
    HttpResponse<String> c =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v3/systems"))
                .header("Content-Type", "application/json")
                .header("X-Tapis-Token", jwt)
                .POST(HttpRequest.BodyPublishers.ofString(system.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (c.statusCode() >= 400) {
      throw new IOException("cannot register the system: " + c.body());
    }
  }
}
