package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A thin client of the Tapis v3 REST API (authenticator, systems, apps, files, jobs) on {@code
 * java.net.http} and Jackson.
 *
 * <p>Every JSON answer is an envelope {@code {"status","message","version","result",...}}; an
 * answer with HTTP status 400 or more, or with a status other than {@code success}, becomes a
 * {@link TapisException} whose message names the call and carries Tapis's message. Connection
 * failures and 5xx answers are retried with backoff ({@link RetryPolicy}); 4xx answers never are. A
 * job submission, which is not idempotent, is retried only when the connection could not be made at
 * all. Tokens are never logged and never appear in messages.
 *
 * <p>Thread-safe: one instance may serve several threads.
 */
public final class TapisClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Supplier<String> token;
  private final RetryPolicy retry;
  private final Duration timeout;

  private TapisClient(
      URI base, HttpClient http, Supplier<String> token, RetryPolicy retry, Duration timeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.http = http;
    this.token = token;
    this.retry = retry;
    this.timeout = timeout;
  }

  /**
   * A client of the tenant at {@code base} (such as {@code https://tacc.tapis.io}) that sends the
   * token {@code token} gives at each call (it may refresh it, or throw a {@link TapisException}
   * asking for a new login).
   */
  public static TapisClient create(URI base, Supplier<String> token, RetryPolicy retry) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    return new TapisClient(base, http, token, retry, Duration.ofMinutes(5));
  }

  /** The tenant's base URL. */
  public URI base() {
    return base;
  }

  // ---- authenticator -------------------------------------------------------------------------

  /**
   * Logs in with the password grant ({@code POST /v3/oauth2/tokens}) and returns the new token. The
   * password is sent once and kept nowhere.
   */
  public static TapisToken login(URI base, String user, char[] password, RetryPolicy retry) {
    TapisClient c = create(base, () -> "", retry);
    ObjectNode body = JSON.createObjectNode();
    body.put("username", user);
    body.put("password", new String(password));
    body.put("grant_type", "password");
    JsonNode result = c.call("POST", "/v3/oauth2/tokens", body, false, false);
    return c.token(user, result);
  }

  /** Trades a refresh token for a new access token ({@code grant_type=refresh_token}). */
  public static TapisToken refresh(TapisToken old, RetryPolicy retry) {
    String refresh =
        old.refreshToken()
            .orElseThrow(
                () ->
                    new TapisException(
                        "Tapis token of '" + old.user() + "' expired; log in again",
                        0,
                        true,
                        null));
    TapisClient c = create(URI.create(old.baseUrl()), () -> "", retry);
    ObjectNode body = JSON.createObjectNode();
    body.put("refresh_token", refresh);
    body.put("grant_type", "refresh_token");
    JsonNode result = c.call("POST", "/v3/oauth2/tokens", body, false, false);
    return c.token(old.user(), result);
  }

  private TapisToken token(String user, JsonNode result) {
    JsonNode at = result.path("access_token");
    String jwt = at.path("access_token").asText("");
    if (jwt.isEmpty()) {
      throw new TapisException(
          "POST /v3/oauth2/tokens: the answer has no result.access_token.access_token", 0);
    }
    Instant expires = expiry(at);
    Optional<String> refresh =
        Optional.of(result.path("refresh_token").path("refresh_token").asText(""))
            .filter(s -> !s.isEmpty());
    return new TapisToken(base.toString(), user, jwt, expires, refresh);
  }

  private static Instant expiry(JsonNode at) {
    String s = at.path("expires_at").asText("");
    if (!s.isEmpty()) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e2) {
          // fall back to expires_in
        }
      }
    }
    long in = at.path("expires_in").asLong(4 * 3600);
    return Instant.now().plusSeconds(in);
  }

  // ---- systems and apps ----------------------------------------------------------------------

  /** The system {@code id} ({@code GET /v3/systems/{id}}), as Tapis's {@code TapisSystem}. */
  public JsonNode system(String id) {
    return call("GET", "/v3/systems/" + seg(id), null, true, true);
  }

  /** Creates a system ({@code POST /v3/systems}) from a {@code ReqPostSystem} body. */
  public void createSystem(ObjectNode body) {
    call("POST", "/v3/systems", body, true, false);
  }

  /** The app {@code id} at {@code version} ({@code GET /v3/apps/{id}/{version}}). */
  public JsonNode app(String id, String version) {
    return call("GET", "/v3/apps/" + seg(id) + "/" + seg(version), null, true, true);
  }

  /** Creates an app version ({@code POST /v3/apps}) from a {@code ReqPostApp} body. */
  public void createApp(ObjectNode body) {
    call("POST", "/v3/apps", body, true, false);
  }

  // ---- files ---------------------------------------------------------------------------------

  /** Creates a folder and its parents ({@code POST /v3/files/ops/{system}} {"path"}). */
  public void mkdir(String system, String path) {
    ObjectNode body = JSON.createObjectNode().put("path", path);
    call("POST", "/v3/files/ops/" + seg(system), body, true, true);
  }

  /**
   * Uploads {@code local} to {@code path} ({@code POST /v3/files/ops/{system}/{path}}, multipart
   * with the part {@code file}).
   */
  public void upload(String system, String path, Path local) {
    String boundary = "jetlag-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + local.getFileName().toString().replace("\"", "_")
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    String p = "/v3/files/ops/" + seg(system) + "/" + path(path);
    send(
        "POST",
        p,
        () -> {
          try {
            return HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head),
                HttpRequest.BodyPublishers.ofFile(local),
                HttpRequest.BodyPublishers.ofString(tail));
          } catch (java.io.FileNotFoundException e) {
            throw new TapisException("upload: no file '" + local + "'", 0, false, e);
          }
        },
        "multipart/form-data; boundary=" + boundary,
        true,
        true);
  }

  /** Lists a folder ({@code GET /v3/files/ops/{system}/{path}}). */
  public List<RemoteFile> list(String system, String path) {
    JsonNode r = call("GET", "/v3/files/ops/" + seg(system) + "/" + path(path), null, true, true);
    List<RemoteFile> files = new ArrayList<>();
    r.forEach(f -> files.add(RemoteFile.of(f)));
    return files;
  }

  /** Downloads a file ({@code GET /v3/files/content/{system}/{path}}) into {@code target}. */
  public void download(String system, String path, Path target) {
    fetch("/v3/files/content/" + seg(system) + "/" + path(path), target);
  }

  /** A small file's content as text ({@code GET /v3/files/content/{system}/{path}}). */
  public String content(String system, String path) {
    HttpResponse<byte[]> r =
        send(
            "GET",
            "/v3/files/content/" + seg(system) + "/" + path(path),
            HttpRequest.BodyPublishers::noBody,
            null,
            true,
            true,
            HttpResponse.BodyHandlers.ofByteArray());
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Deletes a file or folder ({@code DELETE /v3/files/ops/{system}/{path}}). */
  public void delete(String system, String path) {
    call("DELETE", "/v3/files/ops/" + seg(system) + "/" + path(path), null, true, true);
  }

  // ---- jobs ----------------------------------------------------------------------------------

  /** Submits a job ({@code POST /v3/jobs/submit}); returns it, normally in state PENDING. */
  public RemoteJob submit(JobRequest request) {
    return RemoteJob.of(call("POST", "/v3/jobs/submit", request.toJson(), true, false));
  }

  /** The job's state and condition ({@code GET /v3/jobs/{uuid}/status}). */
  public RemoteJob status(String uuid) {
    JsonNode r = call("GET", "/v3/jobs/" + seg(uuid) + "/status", null, true, true);
    ObjectNode j = r.deepCopy();
    j.put("uuid", uuid);
    return RemoteJob.of(j);
  }

  /** The whole job ({@code GET /v3/jobs/{uuid}}). */
  public RemoteJob job(String uuid) {
    return RemoteJob.of(call("GET", "/v3/jobs/" + seg(uuid), null, true, true));
  }

  /** The job's history ({@code GET /v3/jobs/{uuid}/history}). */
  public List<JobEvent> history(String uuid) {
    JsonNode r = call("GET", "/v3/jobs/" + seg(uuid) + "/history", null, true, true);
    List<JobEvent> events = new ArrayList<>();
    r.forEach(e -> events.add(JobEvent.of(e)));
    return events;
  }

  /** The user's jobs ({@code GET /v3/jobs/list}), newest first as Tapis orders them. */
  public List<RemoteJob> jobs(int limit) {
    JsonNode r =
        call("GET", "/v3/jobs/list?limit=" + limit + "&orderBy=created(desc)", null, true, true);
    List<RemoteJob> jobs = new ArrayList<>();
    r.forEach(j -> jobs.add(RemoteJob.of(j)));
    return jobs;
  }

  /** Asks Tapis to cancel the job ({@code POST /v3/jobs/{uuid}/cancel}; HTTP 409 when ended). */
  public void cancel(String uuid) {
    call("POST", "/v3/jobs/" + seg(uuid) + "/cancel", JSON.createObjectNode(), true, true);
  }

  /** Lists the job's outputs under {@code path} ({@code GET /v3/jobs/{uuid}/output/list/}). */
  public List<RemoteFile> outputs(String uuid, String path, boolean allowIfRunning) {
    JsonNode r =
        call(
            "GET",
            "/v3/jobs/"
                + seg(uuid)
                + "/output/list/"
                + path(path)
                + (allowIfRunning ? "?allowIfRunning=true" : ""),
            null,
            true,
            true);
    List<RemoteFile> files = new ArrayList<>();
    r.forEach(f -> files.add(RemoteFile.of(f)));
    return files;
  }

  /**
   * Downloads the job's output {@code path} into {@code target} ({@code GET
   * /v3/jobs/{uuid}/output/download/{path}}); a folder (a path ending in {@code /}, or empty for
   * all outputs) comes as a zip archive.
   */
  public void downloadOutput(String uuid, String path, Path target, boolean allowIfRunning) {
    fetch(
        "/v3/jobs/"
            + seg(uuid)
            + "/output/download/"
            + path(path)
            + (allowIfRunning ? "?allowIfRunning=true" : ""),
        target);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private void fetch(String p, Path target) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".download-", ".part");
      try {
        HttpResponse<InputStream> r =
            send(
                "GET",
                p,
                HttpRequest.BodyPublishers::noBody,
                null,
                true,
                true,
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new TapisException("GET " + p + ": cannot write '" + target + "': " + e, 0, false, e);
    }
  }

  private JsonNode call(String method, String p, JsonNode body, boolean auth, boolean idempotent) {
    String json;
    try {
      json = body == null ? null : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpResponse<byte[]> r =
        send(
            method,
            p,
            () ->
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json),
            json == null ? null : "application/json",
            auth,
            idempotent,
            HttpResponse.BodyHandlers.ofByteArray());
    JsonNode env = envelope(method, p, r.statusCode(), r.body());
    return env.path("result");
  }

  private HttpResponse<byte[]> send(
      String method,
      String p,
      Supplier<HttpRequest.BodyPublisher> body,
      String contentType,
      boolean auth,
      boolean idempotent) {
    return send(
        method, p, body, contentType, auth, idempotent, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends with retries; returns only answers below 400 (others become exceptions). */
  private <T> HttpResponse<T> send(
      String method,
      String p,
      Supplier<HttpRequest.BodyPublisher> body,
      String contentType,
      boolean auth,
      boolean idempotent,
      HttpResponse.BodyHandler<T> handler) {
    String what = method + " " + p;
    for (int attempt = 1; ; attempt++) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + p))
              .timeout(timeout)
              .header("Accept", "application/json, application/octet-stream")
              .method(method, body.get());
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      if (auth) {
        b.header("X-Tapis-Token", token.get());
      }
      HttpResponse<byte[]> failed;
      try {
        HttpResponse<T> r = http.send(b.build(), wrap(handler));
        if (r.statusCode() < 400) {
          return r;
        }
        @SuppressWarnings("unchecked")
        HttpResponse<byte[]> asBytes = (HttpResponse<byte[]>) (HttpResponse<?>) r;
        failed = asBytes;
      } catch (IOException e) {
        boolean retriable = idempotent || e instanceof ConnectException;
        if (!retriable || attempt >= retry.attempts()) {
          throw new TapisException(
              what + ": no answer from " + base + " after " + attempt + " attempt(s): " + e,
              0,
              false,
              e);
        }
        pause(attempt, what);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TapisException(what + ": interrupted", 0, false, e);
      }
      int status = failed.statusCode();
      if (status >= 500 && idempotent && attempt < retry.attempts()) {
        pause(attempt, what);
        continue;
      }
      envelope(method, p, status, failed.body());
      throw new TapisException(what + ": HTTP " + status, status);
    }
  }

  /**
   * A handler that reads error answers (400 and above) fully as bytes, whatever {@code handler}
   * would do with a success.
   */
  @SuppressWarnings("unchecked")
  private static <T> HttpResponse.BodyHandler<T> wrap(HttpResponse.BodyHandler<T> handler) {
    return info ->
        info.statusCode() >= 400
            ? (HttpResponse.BodySubscriber<T>)
                (HttpResponse.BodySubscriber<?>) HttpResponse.BodySubscribers.ofByteArray()
            : handler.apply(info);
  }

  private void pause(int attempt, String what) {
    try {
      Thread.sleep(retry.waitAfter(attempt).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TapisException(what + ": interrupted while waiting to retry", 0, false, e);
    }
  }

  /** The parsed envelope; throws when the status or the envelope says error. */
  private static JsonNode envelope(String method, String p, int status, byte[] body) {
    String what = method + " " + p;
    JsonNode env;
    try {
      env = JSON.readTree(body);
    } catch (IOException e) {
      env = null;
    }
    if (env == null || !env.isObject()) {
      if (status >= 400) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        throw new TapisException(
            what + ": HTTP " + status + (text.isEmpty() ? "" : ": " + oneLine(text, 300)), status);
      }
      throw new TapisException(what + ": HTTP " + status + ": the answer is not JSON", status);
    }
    String s = env.path("status").asText("");
    String message = oneLine(env.path("message").asText(""), 500);
    if (status >= 400 || !"success".equals(s)) {
      String m = what + ": HTTP " + status + (message.isEmpty() ? "" : ": " + message);
      if (status == 401) {
        m += " (the Tapis token was rejected or has expired: run 'jetlag remote login' again)";
      }
      throw new TapisException(m, status);
    }
    return env;
  }

  private static String oneLine(String s, int max) {
    String t = s.strip().replaceAll("\\s*\\R\\s*", "; ");
    return t.length() > max ? t.substring(0, max) + "…" : t;
  }

  private static String seg(String s) {
    Objects.requireNonNull(s);
    if (s.isEmpty() || s.contains("/")) {
      throw new IllegalArgumentException("expected an id without '/', got '" + s + "'");
    }
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Each segment of a relative path, URL-encoded; keeps a trailing '/'. */
  private static String path(String p) {
    String rel = p.startsWith("/") ? p.substring(1) : p;
    StringBuilder sb = new StringBuilder();
    String[] parts = rel.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }
}
