package org.jetlag.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** One in-process run of the command: exit status and everything it printed. */
record CliRun(int code, String out, String err) {
  /** Runs {@code jetlag args…} in-process with captured streams. */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The non-empty lines of stderr. */
  List<String> errLines() {
    return Arrays.stream(err.split("\\R")).filter(l -> !l.isBlank()).toList();
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
