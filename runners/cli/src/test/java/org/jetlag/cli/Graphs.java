package org.jetlag.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small graph files for tests. */
final class Graphs {
  private Graphs() {}

  /** A graph file named {@code graph.json} in {@code dir} with these node and edge JSON texts. */
  static Path write(Path dir, String nodes, String edges) {
    String json =
        "{\"formatVersion\": 1, \"name\": \"t\", \"nodes\": ["
            + nodes
            + "], \"edges\": ["
            + edges
            + "]}";
    return writeText(dir, json);
  }

  /** A graph file with the given text. */
  static Path writeText(Path dir, String text) {
    try {
      Files.createDirectories(dir);
      Path p = dir.resolve("graph.json");
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An input node. */
  static String input(String name, String dtype, String shape) {
    return "{\"id\": \""
        + name
        + "\", \"op\": \"input\", \"params\": {\"name\": \""
        + name
        + "\", \"dtype\": \""
        + dtype
        + "\", \"shape\": "
        + shape
        + "}}";
  }

  /** An output node with id {@code out_<name>}. */
  static String output(String name) {
    return "{\"id\": \"out_"
        + name
        + "\", \"op\": \"output\", \"params\": {\"name\": \""
        + name
        + "\"}}";
  }

  /** A node with parameters given as a JSON object text ("" for none). */
  static String node(String id, String op, String params) {
    return "{\"id\": \""
        + id
        + "\", \"op\": \""
        + op
        + "\""
        + (params.isEmpty() ? "" : ", \"params\": " + params)
        + "}";
  }

  /** An edge. */
  static String edge(String from, String to) {
    return "{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}";
  }
}
