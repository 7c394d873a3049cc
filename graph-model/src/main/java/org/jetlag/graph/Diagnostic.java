package org.jetlag.graph;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem found in a graph, naming where it is: node, op and port when known.
 *
 * <p>{@link #toString()} renders the one shape every JetLag error has: {@code node 'n7' (matmul)
 * port 'rhs': expected float64[?,128], got int64[4,64]}.
 *
 * @param severity how bad it is
 * @param code a stable machine-readable code such as {@code dtype-mismatch}
 * @param nodeId the node concerned, if any
 * @param op the op of that node, if known
 * @param port the port concerned, if any
 * @param message what is wrong: expected versus actual
 */
public record Diagnostic(
    Severity severity,
    String code,
    Optional<String> nodeId,
    Optional<String> op,
    Optional<String> port,
    String message) {

  /** How bad a diagnostic is. */
  public enum Severity {
    /** The graph cannot run. */
    ERROR,
    /** The graph runs but probably not as meant. */
    WARNING
  }

  /** Validates the components. */
  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(message, "message");
  }

  /** An error about a node (and possibly one of its ports). */
  public static Diagnostic error(
      String code, String nodeId, String op, String port, String message) {
    return new Diagnostic(
        Severity.ERROR,
        code,
        Optional.ofNullable(nodeId),
        Optional.ofNullable(op),
        Optional.ofNullable(port),
        message);
  }

  /** An error about the graph as a whole. */
  public static Diagnostic graphError(String code, String message) {
    return new Diagnostic(
        Severity.ERROR, code, Optional.empty(), Optional.empty(), Optional.empty(), message);
  }

  /** True for errors. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** This diagnostic with its node id prefixed by a composite's path ({@code loop1/n3}). */
  public Diagnostic within(String parentId) {
    return new Diagnostic(
        severity,
        code,
        Optional.of(nodeId.map(n -> parentId + "/" + n).orElse(parentId)),
        op,
        port,
        message);
  }

  /** Where the problem is, e.g. {@code node 'n7' (matmul) port 'rhs'}; empty for the graph. */
  public String location() {
    StringBuilder sb = new StringBuilder();
    nodeId.ifPresent(n -> sb.append("node '").append(n).append('\''));
    op.ifPresent(o -> sb.append(sb.length() > 0 ? " " : "").append('(').append(o).append(')'));
    port.ifPresent(
        p -> sb.append(sb.length() > 0 ? " " : "").append("port '").append(p).append('\''));
    return sb.toString();
  }

  @Override
  public String toString() {
    String loc = location();
    String prefix = severity == Severity.WARNING ? "warning: " : "";
    return prefix + (loc.isEmpty() ? "graph" : loc) + ": " + message;
  }
}
