package org.jetlag.remote;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetlag.graph.JetLagException;

/**
 * Where {@code jetlag submit} sends a graph: a Tapis execution system ({@code tapis:<systemId>}) or
 * a Flink session cluster reached directly ({@code flink://host:port}, its REST address).
 */
public sealed interface Target {
  /** A Tapis v3 execution system; the graph waits in its batch queue. */
  record Tapis(String systemId) implements Target {
    /** Validates. */
    public Tapis {
      if (systemId == null || systemId.isBlank()) {
        throw new JetLagException("a Tapis target needs a system id (tapis:<systemId>)");
      }
    }

    @Override
    public String toString() {
      return "tapis:" + systemId;
    }
  }

  /** A Flink 1.19 session cluster's REST address, such as {@code localhost:8081}. */
  record FlinkSession(String host, int port) implements Target {
    /** Validates. */
    public FlinkSession {
      if (host == null || host.isBlank() || port < 1 || port > 65535) {
        throw new JetLagException(
            "a Flink target needs a host and a port from 1 to 65535, got " + host + ":" + port);
      }
    }

    /** {@code host:port}, as {@code jetlag run --flink-master} takes it. */
    public String master() {
      return host + ":" + port;
    }

    @Override
    public String toString() {
      return "flink://" + master();
    }
  }

  /** The host part: a name, an IPv4 address or an IPv6 address in brackets. */
  Pattern FLINK = Pattern.compile("flink://([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]):([0-9]{1,5})/?");

  /**
   * The target {@code text} names.
   *
   * @throws JetLagException naming what was expected and what was given
   */
  static Target parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.startsWith("tapis:") && t.length() > "tapis:".length()) {
      return new Tapis(t.substring("tapis:".length()));
    }
    Matcher m = FLINK.matcher(t);
    if (m.matches() && Integer.parseInt(m.group(2)) >= 1 && Integer.parseInt(m.group(2)) <= 65535) {
      return new FlinkSession(m.group(1), Integer.parseInt(m.group(2)));
    }
    throw new JetLagException("expected tapis:<systemId> or flink://host:port, got '" + t + "'");
  }
}
