package org.jetlag.editor;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.RunSettings;
import org.jetlag.remote.Submission;
import org.jetlag.remote.Target;
import org.jetlag.remote.ZipApp;

/**
 * What the Submit dialog asks, as typed: where the graph goes and with what resources. Holds no
 * secret (the Tapis token stays in the token store), so the editor remembers the last one.
 *
 * @param target {@code tapis:<systemId>} or {@code flink://host:port}
 * @param queue the Tapis logical queue, or empty for the system's default
 * @param nodes nodes (Tapis), or empty for the app's default
 * @param cores cores per node (Tapis), or the parallelism (Flink); empty for the default
 * @param minutes the wall-time limit, or empty for the default
 * @param runner {@code local} or {@code flink}; a {@code flink://} target takes {@code flink} only
 */
public record SubmitForm(
    String target,
    String queue,
    OptionalInt nodes,
    OptionalInt cores,
    OptionalInt minutes,
    String runner) {
  /** Copies; checks nothing, so that a half-filled form can be shown again. */
  public SubmitForm {
    target = Objects.requireNonNull(target, "target").strip();
    queue = Objects.requireNonNull(queue, "queue").strip();
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(cores, "cores");
    Objects.requireNonNull(minutes, "minutes");
    Objects.requireNonNull(runner, "runner");
  }

  /** An empty form: no target yet, every resource at its default, the local runner. */
  public static SubmitForm empty() {
    return new SubmitForm(
        "", "", OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), "local");
  }

  /** This form for another target. */
  public SubmitForm withTarget(String t) {
    return new SubmitForm(t, queue, nodes, cores, minutes, runner);
  }

  /** This form with another runner. */
  public SubmitForm withRunner(String r) {
    return new SubmitForm(target, queue, nodes, cores, minutes, r);
  }

  /**
   * The target, checked.
   *
   * @throws JetLagException naming what was expected and what was given
   */
  public Target parsedTarget() {
    return Target.parse(target);
  }

  /**
   * The submission of {@code graph} with {@code inputs} this form describes.
   *
   * @throws JetLagException when a field is wrong, naming it
   */
  public Submission submission(Path graph, Map<String, Path> inputs, String runtimeVersion) {
    Target t = parsedTarget();
    if (!RunSettings.RUNNERS.contains(runner)) {
      throw new JetLagException(
          "runner: expected one of " + RunSettings.RUNNERS + ", got '" + runner + "'");
    }
    if (t instanceof Target.FlinkSession && !"flink".equals(runner)) {
      throw new JetLagException(
          "runner: a job on " + t + " runs with the flink runner, not '" + runner + "'");
    }
    check("nodes", nodes);
    check("cores", cores);
    check("minutes", minutes);
    return new Submission(
        graph,
        inputs,
        new RunSettings(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), runner),
        t,
        ZipApp.DEFAULT_ID,
        runtimeVersion,
        queue.isEmpty() ? Optional.empty() : Optional.of(queue),
        nodes,
        cores,
        minutes,
        runtimeVersion);
  }

  private static void check(String field, OptionalInt v) {
    if (v.isPresent() && v.getAsInt() < 1) {
      throw new JetLagException(field + ": expected at least 1, got " + v.getAsInt());
    }
  }
}
