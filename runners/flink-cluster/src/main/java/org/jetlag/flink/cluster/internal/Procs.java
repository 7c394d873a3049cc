package org.jetlag.flink.cluster.internal;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Starting, finding and stopping operating-system processes by PID (never by name). */
public final class Procs {
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private Procs() {}

  /**
   * Starts {@code command} with stdin from {@code /dev/null} and stdout and stderr into {@code
   * out}. With {@code detach} it runs in a session of its own ({@code setsid}, where present), so
   * that a terminal's Ctrl-C or hang-up after the start does not reach it; {@code setsid} replaces
   * itself with the command, so the PID is the command's.
   */
  public static Process spawn(List<String> command, Path out, boolean detach) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (detach && Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(command);
    return new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
        .start();
  }

  /**
   * This machine's host name ({@code /proc/sys/kernel/hostname}, else the JDK's idea of it, else
   * {@code "unknown"}): which node a recorded PID belongs to.
   */
  public static String hostName() {
    try {
      String n = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8);
      if (!n.isBlank()) {
        return n.strip();
      }
    } catch (IOException e) {
      // Not Linux: ask the JDK.
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }

  /** When the process started, as ISO-8601, or "" when the system does not say. */
  public static String startInstant(ProcessHandle p) {
    return p.info().startInstant().map(Instant::toString).orElse("");
  }

  /**
   * The running process with this PID, if it is the one that was recorded: a process that reuses
   * the PID later has another start time and is not returned.
   */
  public static Optional<ProcessHandle> find(long pid, String recordedStart) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (h.isEmpty() || recordedStart.isEmpty()) {
      return h;
    }
    Optional<Instant> started = h.get().info().startInstant();
    if (started.isEmpty()) {
      return h;
    }
    Duration skew = Duration.between(Instant.parse(recordedStart), started.get()).abs();
    return skew.compareTo(Duration.ofSeconds(2)) <= 0 ? h : Optional.empty();
  }

  /** How a process ended under {@link #terminate}. */
  public enum Outcome {
    /** It was not running any more. */
    NOT_RUNNING,
    /** It exited after SIGTERM within the grace period. */
    TERMINATED,
    /** It ignored SIGTERM for the grace period and was killed with SIGKILL. */
    KILLED,
    /** It still ran after SIGKILL and the wait that followed. */
    STILL_RUNNING
  }

  /**
   * Sends SIGTERM to every process, waits up to {@code grace} for all of them, sends SIGKILL to
   * those left, and waits up to {@code killWait} again. Returns each one's outcome, in order.
   */
  public static List<Outcome> terminate(
      List<Optional<ProcessHandle>> processes, Duration grace, Duration killWait)
      throws InterruptedException {
    Outcome[] outcomes = new Outcome[processes.size()];
    for (int i = 0; i < outcomes.length; i++) {
      Optional<ProcessHandle> p = processes.get(i);
      if (p.isEmpty() || !p.get().isAlive()) {
        outcomes[i] = Outcome.NOT_RUNNING;
      } else {
        p.get().destroy();
        outcomes[i] = Outcome.TERMINATED;
      }
    }
    waitAll(processes, grace);
    for (int i = 0; i < outcomes.length; i++) {
      Optional<ProcessHandle> p = processes.get(i);
      if (p.isPresent() && p.get().isAlive()) {
        p.get().destroyForcibly();
        outcomes[i] = Outcome.KILLED;
      }
    }
    waitAll(processes, killWait);
    for (int i = 0; i < outcomes.length; i++) {
      Optional<ProcessHandle> p = processes.get(i);
      if (p.isPresent() && p.get().isAlive()) {
        outcomes[i] = Outcome.STILL_RUNNING;
      }
    }
    return Arrays.asList(outcomes);
  }

  private static void waitAll(List<Optional<ProcessHandle>> processes, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline
        && processes.stream().anyMatch(p -> p.isPresent() && p.get().isAlive())) {
      Thread.sleep(50);
    }
  }

  /** The last {@code lines} lines of {@code file} (at most 64 KiB), or "" if it cannot be read. */
  public static String tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 64 * 1024);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      String[] all = new String(buf, StandardCharsets.UTF_8).split("\\R");
      int from = Math.max(0, all.length - lines);
      return String.join("\n", Arrays.asList(all).subList(from, all.length));
    } catch (IOException e) {
      return "";
    }
  }
}
