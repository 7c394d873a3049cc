package org.jetlag.runner;

/** Receives {@link RunEvent}s; called on worker threads, so it must be quick and thread-safe. */
@FunctionalInterface
public interface RunListener {
  /** Called for each event. */
  void onEvent(RunEvent event);
}
