package org.jetlag.graph;

import java.util.List;
import java.util.Optional;
import org.jetlag.graph.internal.Validator;

/** Checks graphs: every problem at once, as diagnostics. */
public final class Validation {
  private Validation() {}

  /**
   * The result of validating a graph.
   *
   * @param diagnostics every problem found, in a stable order (document order of nodes)
   * @param typed the typed graph when there are no errors
   */
  public record Result(List<Diagnostic> diagnostics, Optional<TypedGraph> typed) {
    /** Copies the list. */
    public Result {
      diagnostics = List.copyOf(diagnostics);
    }

    /** True when no diagnostic is an error. */
    public boolean ok() {
      return typed.isPresent();
    }

    /** The errors only. */
    public List<Diagnostic> errors() {
      return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
  }

  /** Validates a graph; never throws for a bad graph. */
  public static Result validate(Graph g) {
    return Validator.validate(g);
  }

  /**
   * The typed graph.
   *
   * @throws ValidationException carrying every diagnostic if there is an error
   */
  public static TypedGraph check(Graph g) {
    Result r = validate(g);
    return r.typed().orElseThrow(() -> new ValidationException(r.diagnostics()));
  }
}
