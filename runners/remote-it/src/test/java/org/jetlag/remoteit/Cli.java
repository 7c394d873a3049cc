package org.jetlag.remoteit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code bin/jetlag} as a user would, in a separate process, with a deadline. */
final class Cli {
  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private final Path repo;
  private final Map<String, String> env;

  Cli(Path repo, Map<String, String> env) {
    this.repo = repo;
    this.env = env;
  }

  Result run(String... args) {
    return run(180, args);
  }

  /** Runs {@code bin/jetlag args}, killed (and the test failed) after {@code seconds}. */
  Result run(int seconds, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(repo.resolve("bin/jetlag").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
    pb.environment().remove("JETLAG_TAPIS_PASSWORD");
    pb.environment().putAll(env);
    try {
      Path out = Files.createTempFile("cli-", ".out");
      Path err = Files.createTempFile("cli-", ".err");
      try {
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(
              "jetlag " + String.join(" ", args) + ": no result after " + seconds + " s");
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
      throw new AssertionError("cannot run bin/jetlag: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
