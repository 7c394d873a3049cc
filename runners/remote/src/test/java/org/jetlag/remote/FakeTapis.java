package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scripted HTTP server that records requests and answers from a queue (default: success). */
final class FakeTapis implements AutoCloseable {
  record Request(
      String method, String path, String query, String contentType, String token, byte[] body) {
    JsonNode json() {
      try {
        return new ObjectMapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  record Answer(int status, String body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final HttpServer server;
  private volatile String defaultResult = "{}";

  FakeTapis() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          requests.add(
              new Request(
                  ex.getRequestMethod(),
                  ex.getRequestURI().getRawPath(),
                  ex.getRequestURI().getRawQuery(),
                  ex.getRequestHeaders().getFirst("Content-Type"),
                  ex.getRequestHeaders().getFirst("X-Tapis-Token"),
                  body));
          Answer a;
          synchronized (answers) {
            a = answers.isEmpty() ? null : answers.poll();
          }
          if (a == null) {
            a = new Answer(200, envelope("success", "ok", defaultResult));
          }
          if (a.status() < 0) {
            ex.close();
            return;
          }
          byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(a.status(), b.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
          }
        });
    server.start();
  }

  static String envelope(String status, String message, String result) {
    return "{\"status\":\""
        + status
        + "\",\"message\":\""
        + message
        + "\",\"version\":\"test\",\"result\":"
        + result
        + ",\"metadata\":null}";
  }

  void answer(int status, String body) {
    synchronized (answers) {
      answers.add(new Answer(status, body));
    }
  }

  void result(String json) {
    defaultResult = json;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
