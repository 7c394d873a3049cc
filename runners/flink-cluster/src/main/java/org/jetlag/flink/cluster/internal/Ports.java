package org.jetlag.flink.cluster.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports, picked together so that they differ from each other. */
public final class Ports {
  private Ports() {}

  /**
   * {@code n} distinct ports that are free on {@code host} now. Another process may take one before
   * the cluster binds it; the start then fails and names the port in the log.
   */
  public static List<Integer> free(String host, int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      InetAddress address = InetAddress.getByName(host);
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, address);
        held.add(s);
        ports.add(s.getLocalPort());
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot pick free ports on " + host + ": " + e.getMessage(), e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException e) {
          // The port is free again either way.
        }
      }
    }
  }
}
