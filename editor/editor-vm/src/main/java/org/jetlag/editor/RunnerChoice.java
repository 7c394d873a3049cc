package org.jetlag.editor;

import java.util.Objects;
import java.util.function.Supplier;
import org.jetlag.runner.Runner;

/**
 * A runner the user can pick, by name. The supplier is asked for the runner at each run; whoever
 * builds the list owns the runners it hands out and closes them.
 *
 * @param name what the run menu shows ({@code local})
 * @param runner gives the runner
 */
public record RunnerChoice(String name, Supplier<Runner> runner) {
  /** Validates the components. */
  public RunnerChoice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String toString() {
    return name;
  }
}
