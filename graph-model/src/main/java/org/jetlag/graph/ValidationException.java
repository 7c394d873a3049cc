package org.jetlag.graph;

import java.util.List;
import java.util.stream.Collectors;

/** A graph that did not pass validation; carries every diagnostic, not only the first. */
public final class ValidationException extends JetLagException {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  /** An exception carrying the given diagnostics (at least one error). */
  public ValidationException(List<Diagnostic> diagnostics) {
    super(render(diagnostics), firstNode(diagnostics), null);
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** Every diagnostic, errors and warnings, in a stable order. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  private static String firstNode(List<Diagnostic> ds) {
    return ds.stream()
        .filter(Diagnostic::isError)
        .findFirst()
        .flatMap(Diagnostic::nodeId)
        .orElse(null);
  }

  private static String render(List<Diagnostic> ds) {
    List<Diagnostic> errors = ds.stream().filter(Diagnostic::isError).collect(Collectors.toList());
    if (errors.size() == 1) {
      return errors.get(0).toString();
    }
    return errors.size()
        + " problems:\n  "
        + errors.stream().map(Diagnostic::toString).collect(Collectors.joining("\n  "));
  }
}
