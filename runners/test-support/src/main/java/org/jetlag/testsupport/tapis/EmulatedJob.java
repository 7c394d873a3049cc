package org.jetlag.testsupport.tapis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One job in the emulator and its worker: walks the Tapis states, driving Slurm over SSH the way
 * Tapis's jobs service does. All fields are guarded by {@code this}.
 */
final class EmulatedJob {
  private static final Pattern SUBMITTED = Pattern.compile("Submitted batch job (\\d+)");

  final TapisEmulator emu;
  final String uuid;
  final String owner;
  final int seq;
  final ObjectNode req;
  final ObjectNode app;
  final ObjectNode system;
  final String created = Instant.now().toString();

  String status = "PENDING";
  String condition;
  String lastMessage = "";
  String ended;
  String remoteJobId = "";
  String remoteStarted;
  String remoteEnded;
  String remoteOutcome;
  String execDir;
  String outputDir;
  String archiveDir;
  String queue;
  String hpcQueue;
  int nodes;
  int cores;
  int memoryMB;
  int maxMinutes;
  boolean archived;
  boolean cancelRequested;
  boolean shutdown;
  final List<ObjectNode> history = new ArrayList<>();

  EmulatedJob(
      TapisEmulator emu,
      String uuid,
      String owner,
      ObjectNode req,
      ObjectNode app,
      ObjectNode sys) {
    this.emu = emu;
    this.uuid = uuid;
    this.owner = owner;
    this.seq = emu.nextSeq();
    this.req = req;
    this.app = app;
    this.system = sys;
  }

  private static final class JobFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final String condition;

    JobFailure(String condition, String message) {
      super(message);
      this.condition = condition;
    }
  }

  private static final class Cancelled extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** Picks queue and resources like Tapis: job, else app, else system defaults; checks limits. */
  void validateResources() throws IOException {
    JsonNode attrs = app.path("jobAttributes");
    queue =
        req.path("execSystemLogicalQueue")
            .asText(
                attrs
                    .path("execSystemLogicalQueue")
                    .asText(system.path("batchDefaultLogicalQueue").asText("")));
    JsonNode q = null;
    for (JsonNode lq : system.path("batchLogicalQueues")) {
      if (lq.path("name").asText().equals(queue)) {
        q = lq;
      }
    }
    nodes = req.path("nodeCount").asInt(attrs.path("nodeCount").asInt(1));
    cores = req.path("coresPerNode").asInt(attrs.path("coresPerNode").asInt(1));
    memoryMB = req.path("memoryMB").asInt(attrs.path("memoryMB").asInt(100));
    maxMinutes = req.path("maxMinutes").asInt(attrs.path("maxMinutes").asInt(10));
    if (q == null) {
      throw reject(
          "JOBS_QUEUE_NOT_FOUND logical queue '"
              + queue
              + "' is not defined on system "
              + system.path("id").asText());
    }
    hpcQueue = q.path("hpcQueueName").asText();
    check("nodeCount", nodes, q, "minNodeCount", "maxNodeCount");
    check("coresPerNode", cores, q, "minCoresPerNode", "maxCoresPerNode");
    check("memoryMB", memoryMB, q, "minMemoryMB", "maxMemoryMB");
    check("maxMinutes", maxMinutes, q, "minMinutes", "maxMinutes");
  }

  private void check(String what, int v, JsonNode q, String min, String max) throws IOException {
    if (q.has(min) && v < q.get(min).asInt()) {
      throw reject(
          "JOBS_QUEUE_LIMIT "
              + what
              + " "
              + v
              + " is below the queue's "
              + min
              + " "
              + q.get(min).asInt());
    }
    if (q.has(max) && q.get(max).asInt() > 0 && v > q.get(max).asInt()) {
      throw reject(
          "JOBS_QUEUE_LIMIT "
              + what
              + " "
              + v
              + " exceeds the queue's "
              + max
              + " "
              + q.get(max).asInt());
    }
  }

  private static IOException reject(String message) {
    return new RejectedJob(message);
  }

  /** A submission that Tapis would refuse with HTTP 400. */
  static final class RejectedJob extends IOException {
    private static final long serialVersionUID = 1L;

    RejectedJob(String m) {
      super(m);
    }
  }

  synchronized String status() {
    return status;
  }

  synchronized void newStatus(String s, String message) {
    String previous = status;
    status = s;
    lastMessage = message;
    ObjectNode e = TapisEmulator.JSON.createObjectNode();
    e.put("event", "JOB_NEW_STATUS");
    e.put("created", Instant.now().toString());
    e.put("eventDetail", s);
    e.put(
        "description",
        history.isEmpty()
            ? "The job has transitioned to a new status: " + s + "."
            : "The job has transitioned to a new status: "
                + s
                + ". The previous job status was "
                + previous
                + ".");
    e.putNull("transferTaskUuid");
    history.add(e);
    if (TapisEmulator.isTerminal(s)) {
      ended = Instant.now().toString();
    }
    notifyAll();
  }

  /** The worker: from PENDING to a terminal state. */
  void run() {
    SshHost ssh;
    try {
      ssh = emu.ssh(system);
      step("PROCESSING_INPUTS", "Processing the job's inputs.");
      String root = system.path("jobWorkingDir").asText("/tmp");
      synchronized (this) {
        execDir = req.path("execSystemExecDir").asText(root + "/jobs/" + uuid);
        outputDir = req.path("execSystemOutputDir").asText(execDir + "/output");
        archiveDir = req.path("archiveSystemDir").asText(root + "/archive/" + uuid);
      }
      step("STAGING_INPUTS", "Staging the job's inputs.");
      must(
          ssh,
          "mkdir -p " + SshHost.q(execDir) + " " + SshHost.q(outputDir),
          "JOB_UNABLE_TO_STAGE_INPUTS");
      for (JsonNode in : req.path("fileInputs")) {
        String src = in.path("sourceUrl").asText();
        Matcher m = Pattern.compile("tapis://([^/]+)/(.*)").matcher(src);
        if (!m.matches() || !m.group(1).equals(system.path("id").asText())) {
          throw new JobFailure(
              "JOB_UNABLE_TO_STAGE_INPUTS",
              "the emulator stages only tapis:// inputs on the execution system, not " + src);
        }
        String from = hostPath(m.group(2));
        String target = in.path("targetPath").asText(from.substring(from.lastIndexOf('/') + 1));
        must(
            ssh,
            "cp " + SshHost.q(from) + " " + SshHost.q(execDir + "/" + target),
            "JOB_UNABLE_TO_STAGE_INPUTS");
      }
      step("STAGING_JOB", "Staging the application and the job scripts.");
      String image = app.path("containerImage").asText();
      if (!"ZIP".equals(app.path("runtime").asText())) {
        throw new JobFailure("JOB_INVALID_DEFINITION", "the emulator runs ZIP-runtime apps only");
      }
      must(
          ssh,
          "cd "
              + SshHost.q(execDir)
              + " && unzip -o -q "
              + SshHost.q(image)
              + " && chmod +x tapisjob_app.sh",
          "JOB_UNABLE_TO_STAGE_JOB");
      ssh.write(execDir + "/tapisjob.env", bytes(envFile()));
      ssh.write(execDir + "/tapisjob.sh", bytes(batchScript()));
      must(ssh, "chmod 0700 " + SshHost.q(execDir + "/tapisjob.sh"), "JOB_UNABLE_TO_STAGE_JOB");
      step("SUBMITTING_JOB", "Submitting the job to Slurm.");
      SshHost.Result r = ssh.exec("cd " + SshHost.q(execDir) + " && sbatch tapisjob.sh");
      Matcher sub = SUBMITTED.matcher(r.out());
      if (!r.ok() || !sub.find()) {
        throw new JobFailure("JOB_LAUNCH_FAILURE", "sbatch failed: " + (r.out() + r.err()).strip());
      }
      synchronized (this) {
        remoteJobId = sub.group(1);
      }
      step("QUEUED", "Slurm job " + remoteJobId + " is queued.");
      String outcome = monitor(ssh);
      if (outcome.equals("CANCELLED_BY_USER")) {
        newStatus("CANCELLED", "The job was cancelled by its owner (scancel " + remoteJobId + ").");
        synchronized (this) {
          condition = "CANCELLED_BY_USER";
        }
        return;
      }
      boolean ok = outcome.equals("NORMAL_COMPLETION");
      if (ok || req.path("archiveOnAppError").asBoolean(true)) {
        step("ARCHIVING", "Archiving the job's outputs.");
        must(
            ssh,
            "mkdir -p "
                + SshHost.q(archiveDir)
                + " && cp -a "
                + SshHost.q(outputDir)
                + "/. "
                + SshHost.q(archiveDir)
                + "/",
            "JOB_ARCHIVING_FAILED");
        synchronized (this) {
          archived = true;
        }
      }
      synchronized (this) {
        condition = outcome;
      }
      if (ok) {
        newStatus("FINISHED", "The job completed normally.");
      } else {
        newStatus("FAILED", "The job failed: " + remoteOutcome);
      }
    } catch (Cancelled c) {
      synchronized (this) {
        condition = "CANCELLED_BY_USER";
      }
      newStatus("CANCELLED", "The job was cancelled by its owner before it reached Slurm.");
    } catch (JobFailure f) {
      synchronized (this) {
        condition = f.condition;
      }
      newStatus("FAILED", f.getMessage());
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        condition = "JOB_REMOTE_ACCESS_ERROR";
      }
      newStatus("FAILED", "The emulator could not reach the system: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void step(String s, String message) throws Cancelled {
    synchronized (this) {
      if (cancelRequested) {
        throw new Cancelled();
      }
    }
    newStatus(s, message);
  }

  private static void must(SshHost ssh, String cmd, String condition)
      throws IOException, JobFailure {
    SshHost.Result r = ssh.exec(cmd);
    if (!r.ok()) {
      throw new JobFailure(
          condition, "'" + cmd + "' failed (" + r.exitCode() + "): " + r.err().strip());
    }
  }

  private String hostPath(String rel) throws JobFailure {
    try {
      return TapisEmulator.hostPath(system, rel);
    } catch (Exception e) {
      throw new JobFailure("JOB_UNABLE_TO_STAGE_INPUTS", e.getMessage());
    }
  }

  /**
   * Polls Slurm until the job ends, as Tapis does: {@code squeue} while Slurm lists the job, then
   * {@code sacct}. Waits back off stepwise. Returns the Tapis condition.
   */
  private String monitor(SshHost ssh) throws IOException, InterruptedException {
    Duration wait = emu.pollFirst();
    boolean scancelSent = false;
    while (true) {
      boolean cancel;
      synchronized (this) {
        if (shutdown) {
          throw new InterruptedException("emulator closed");
        }
        cancel = cancelRequested;
      }
      if (cancel && !scancelSent) {
        ssh.exec("scancel " + remoteJobId);
        scancelSent = true;
      }
      SshHost.Result sq =
          ssh.exec("squeue --noheader -O 'jobid,statecompact,exit_code' -j " + remoteJobId);
      String[] cols = sq.out().strip().split("\\s+", -1);
      String code = sq.ok() && cols.length >= 2 ? cols[1] : "";
      if (!code.isEmpty() && !code.equals("CD")) {
        if (code.equals("PD")) {
          if (!status().equals("QUEUED")) {
            newStatus("QUEUED", "Slurm job " + remoteJobId + " is pending.");
          }
        } else if (List.of(
                "R", "CG", "CF", "S", "ST", "SI", "SO", "RS", "RQ", "RH", "RD", "RF", "SE")
            .contains(code)) {
          if (!status().equals("RUNNING")) {
            synchronized (this) {
              remoteStarted = Instant.now().toString();
            }
            newStatus("RUNNING", "Slurm job " + remoteJobId + " is running (" + code + ").");
          }
        } else {
          String c = condition(code, "");
          return finish(scancelSent, c, code);
        }
      } else {
        SshHost.Result sa = ssh.exec("sacct -p -o 'JobID,State,ExitCode' -n -j " + remoteJobId);
        for (String line : sa.out().split("\n")) {
          String[] f = line.split("\\|", -1);
          if (f.length >= 3 && f[0].equals(remoteJobId)) {
            String state = f[1].split(" ")[0];
            if (state.equals("PENDING") || state.equals("RUNNING") || state.equals("REQUEUED")) {
              break;
            }
            if (!status().equals("RUNNING") && !state.equals("CANCELLED")) {
              newStatus("RUNNING", "Slurm job " + remoteJobId + " ran.");
            }
            return finish(scancelSent, condition(state, f[2]), state + " " + f[2]);
          }
        }
      }
      synchronized (this) {
        if (!cancelRequested || scancelSent) {
          wait(wait.toMillis());
        }
      }
      long next = Math.min(wait.toMillis() * 2, emu.pollMax().toMillis());
      wait = Duration.ofMillis(next);
    }
  }

  private String finish(boolean cancelled, String condition, String what) {
    synchronized (this) {
      remoteEnded = Instant.now().toString();
      remoteOutcome = what.strip();
    }
    if (cancelled && !condition.equals("NORMAL_COMPLETION")) {
      return "CANCELLED_BY_USER";
    }
    return condition;
  }

  /** Tapis's condition for a Slurm state (compact code or sacct name) and exit code. */
  static String condition(String state, String exitCode) {
    switch (state.toUpperCase(Locale.ROOT)) {
      case "CD":
      case "COMPLETED":
        return exitCode.isEmpty() || exitCode.startsWith("0:")
            ? "NORMAL_COMPLETION"
            : "JOB_REMOTE_OUTCOME_ERROR";
      case "CA":
      case "CANCELLED":
        return "SCHEDULER_CANCELLED";
      case "TO":
      case "TIMEOUT":
        return "SCHEDULER_TIMEOUT";
      case "OOM":
      case "OUT_OF_MEMORY":
        return "SCHEDULER_OUT_OF_MEMORY";
      case "DL":
      case "DEADLINE":
        return "SCHEDULER_DEADLINE";
      case "PR":
      case "PREEMPTED":
        return "SCHEDULER_STOPPED";
      case "NF":
      case "NODE_FAIL":
      case "BF":
      case "BOOT_FAIL":
        return "SCHEDULER_TERMINATED";
      default:
        return "JOB_REMOTE_OUTCOME_ERROR";
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode kv : system.path("jobEnvVariables")) {
      env.put(kv.path("key").asText(), kv.path("value").asText());
    }
    for (JsonNode kv : app.path("jobAttributes").path("parameterSet").path("envVariables")) {
      env.put(kv.path("key").asText(), kv.path("value").asText());
    }
    for (JsonNode kv : req.path("parameterSet").path("envVariables")) {
      env.put(kv.path("key").asText(), kv.path("value").asText());
    }
    env.put("_tapisAppId", app.path("id").asText());
    env.put("_tapisAppVersion", app.path("version").asText());
    env.put(
        "_tapisArchiveOnAppError", String.valueOf(req.path("archiveOnAppError").asBoolean(true)));
    env.put("_tapisArchiveSystemDir", archiveDir);
    env.put("_tapisArchiveSystemId", system.path("id").asText());
    env.put("_tapisCoresPerNode", Integer.toString(cores));
    env.put("_tapisEffectiveUserId", system.path("effectiveUserId").asText());
    env.put("_tapisExecSystemExecDir", execDir);
    env.put("_tapisExecSystemHPCQueue", hpcQueue);
    env.put("_tapisExecSystemId", system.path("id").asText());
    env.put("_tapisExecSystemInputDir", execDir);
    env.put("_tapisExecSystemLogicalQueue", queue);
    env.put("_tapisExecSystemOutputDir", outputDir);
    env.put("_tapisJobCreateDate", created.substring(0, 10));
    env.put("_tapisJobName", req.path("name").asText());
    env.put("_tapisJobOwner", owner);
    env.put("_tapisJobUUID", uuid);
    env.put("_tapisJobWorkingDir", system.path("jobWorkingDir").asText());
    env.put("_tapisMaxMinutes", Integer.toString(maxMinutes));
    env.put("_tapisMemoryMB", Integer.toString(memoryMB));
    env.put("_tapisNodes", Integer.toString(nodes));
    env.put("_tapisSysHost", system.path("host").asText());
    env.put("_tapisSysRootDir", system.path("rootDir").asText());
    env.put("_tapisTenant", "emulated");
    return env;
  }

  String envFile() {
    StringBuilder sb = new StringBuilder();
    env().forEach((k, v) -> sb.append(k).append('=').append(SshHost.q(v)).append('\n'));
    return sb.toString();
  }

  String batchScript() {
    int h = maxMinutes / 60;
    int m = maxMinutes % 60;
    StringBuilder sb = new StringBuilder();
    sb.append("#!/bin/bash\n\n");
    sb.append("# Written by the JetLag Tapis v3 EMULATOR (not Tapis) for job ")
        .append(uuid)
        .append('\n');
    sb.append("#SBATCH --job-name ").append(req.path("name").asText("tapisjob")).append('\n');
    sb.append("#SBATCH --output ").append(execDir).append("/tapisjob.out\n");
    sb.append("#SBATCH --error ").append(execDir).append("/tapisjob.out\n");
    sb.append("#SBATCH --partition ").append(hpcQueue).append('\n');
    sb.append("#SBATCH --nodes ").append(nodes).append('\n');
    sb.append("#SBATCH --ntasks ").append(nodes * cores).append('\n');
    sb.append(String.format(Locale.ROOT, "#SBATCH --time %02d:%02d:00%n", h, m));
    if (memoryMB > 0) {
      sb.append("#SBATCH --mem ").append(memoryMB).append("M\n");
    }
    for (JsonNode o : req.path("parameterSet").path("schedulerOptions")) {
      sb.append("#SBATCH ").append(o.path("arg").asText()).append('\n');
    }
    sb.append("\ncd ").append(SshHost.q(execDir)).append('\n');
    sb.append("set -a\n. ./tapisjob.env\nset +a\n\n");
    sb.append("./tapisjob_app.sh\nrc=$?\necho $rc > ")
        .append(SshHost.q(execDir))
        .append("/tapisjob.exitcode\nexit $rc\n");
    return sb.toString();
  }

  private static ByteArrayInputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  synchronized ObjectNode toJson() {
    ObjectNode j = TapisEmulator.JSON.createObjectNode();
    j.put("id", seq);
    j.put("name", req.path("name").asText());
    j.put("owner", owner);
    j.put("tenant", "emulated");
    j.put("description", req.path("description").asText(""));
    j.put("status", status);
    j.put("condition", condition);
    j.put("lastMessage", lastMessage);
    j.put("created", created);
    j.put("ended", ended);
    j.put("lastUpdated", Instant.now().toString());
    j.put("uuid", uuid);
    j.put("appId", app.path("id").asText());
    j.put("appVersion", app.path("version").asText());
    j.put("archiveOnAppError", req.path("archiveOnAppError").asBoolean(true));
    j.put("execSystemId", system.path("id").asText());
    j.put("execSystemExecDir", execDir);
    j.put("execSystemInputDir", execDir);
    j.put("execSystemOutputDir", outputDir);
    j.put("execSystemLogicalQueue", queue);
    j.put("archiveSystemId", system.path("id").asText());
    j.put("archiveSystemDir", archiveDir);
    j.put("nodeCount", nodes);
    j.put("coresPerNode", cores);
    j.put("memoryMB", memoryMB);
    j.put("maxMinutes", maxMinutes);
    j.put("fileInputs", req.path("fileInputs").toString());
    j.put("parameterSet", req.path("parameterSet").toString());
    j.put("remoteJobId", remoteJobId);
    j.put("remoteOutcome", remoteOutcome);
    j.put("remoteQueue", hpcQueue);
    j.put("remoteStarted", remoteStarted);
    j.put("remoteEnded", remoteEnded);
    j.put("jobType", "BATCH");
    j.put("visible", true);
    j.put("createdby", owner);
    j.put("notes", "{\"emulator\":\"jetlag (not Tapis)\"}");
    return j;
  }

  synchronized ObjectNode toListJson() {
    ObjectNode j = TapisEmulator.JSON.createObjectNode();
    j.put("uuid", uuid);
    j.put("name", req.path("name").asText());
    j.put("owner", owner);
    j.put("appId", app.path("id").asText());
    j.put("created", created);
    j.put("status", status);
    j.put("condition", condition);
    j.put("remoteStarted", remoteStarted);
    j.put("ended", ended);
    j.put("tenant", "emulated");
    j.put("execSystemId", system.path("id").asText());
    j.put("archiveSystemId", system.path("id").asText());
    j.put("appVersion", app.path("version").asText());
    j.put("lastUpdated", Instant.now().toString());
    return j;
  }

  synchronized ArrayNode historyJson() {
    ArrayNode a = TapisEmulator.JSON.createArrayNode();
    history.forEach(e -> a.add(e.deepCopy()));
    return a;
  }
}
