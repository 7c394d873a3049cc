package org.jetlag.flink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A small client of Flink's REST API ({@code host:port}, the address Beam takes as {@code
 * --flinkMaster}). Every call has a connect and a read timeout, and fails with a {@link
 * FlinkClusterException} naming the address when the cluster is unreachable, slow or answers with
 * an error. Thread-safe.
 */
public final class FlinkRest {
  /** The default time to open a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The default time to wait for an answer. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern JOB_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration readTimeout;

  /** A client with the default timeouts. */
  public FlinkRest() {
    this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  /** A client with the given connect and read timeouts. */
  public FlinkRest(Duration connectTimeout, Duration readTimeout) {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The cluster's summary, from {@code GET /overview}.
   *
   * @param taskManagers registered TaskManagers
   * @param slotsTotal task slots over all TaskManagers
   * @param slotsAvailable free task slots
   * @param jobsRunning jobs running now
   * @param jobsFinished jobs finished
   * @param jobsCancelled jobs cancelled
   * @param jobsFailed jobs failed
   * @param flinkVersion the Flink version the JobManager reports
   */
  public record Overview(
      int taskManagers,
      int slotsTotal,
      int slotsAvailable,
      int jobsRunning,
      int jobsFinished,
      int jobsCancelled,
      int jobsFailed,
      String flinkVersion) {
    /** Validates. */
    public Overview {
      Objects.requireNonNull(flinkVersion, "flinkVersion");
    }
  }

  /**
   * One job, from {@code GET /jobs/overview}.
   *
   * @param id the job id (32 hex digits)
   * @param name the job name
   * @param state Flink's job state: {@code RUNNING}, {@code FINISHED}, {@code FAILED}, …
   * @param startTime start, in milliseconds since the epoch
   * @param endTime end, in milliseconds since the epoch, or -1 while running
   * @param durationMillis how long it ran (so far)
   */
  public record JobSummary(
      String id, String name, String state, long startTime, long endTime, long durationMillis) {
    /** Validates. */
    public JobSummary {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * One registered TaskManager, from {@code GET /taskmanagers}.
   *
   * @param id Flink's resource id of the TaskManager (its host and port and a random suffix)
   * @param path its RPC address, such as {@code pekko.tcp://flink@127.0.0.2:41235/user/rpc/..}
   * @param slots its task slots
   * @param freeSlots its slots free now
   */
  public record TaskManagerSummary(String id, String path, int slots, int freeSlots) {
    /** Validates. */
    public TaskManagerSummary {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * The Flink version of the cluster at {@code hostPort}: {@code flink-version} of {@code /config}.
   */
  public String flinkVersion(String hostPort) {
    JsonNode config = getJson(hostPort, "/config");
    JsonNode v = config.get("flink-version");
    if (v == null || !v.isTextual()) {
      throw new FlinkClusterException(
          "Flink cluster at " + hostPort + ": GET /config has no 'flink-version'");
    }
    return v.asText();
  }

  /** The cluster's summary: TaskManagers, slots and job counts ({@code GET /overview}). */
  public Overview overview(String hostPort) {
    JsonNode o = getJson(hostPort, "/overview");
    return new Overview(
        o.path("taskmanagers").asInt(),
        o.path("slots-total").asInt(),
        o.path("slots-available").asInt(),
        o.path("jobs-running").asInt(),
        o.path("jobs-finished").asInt(),
        o.path("jobs-cancelled").asInt(),
        o.path("jobs-failed").asInt(),
        o.path("flink-version").asText(""));
  }

  /** The registered TaskManagers ({@code GET /taskmanagers}), in the order Flink lists them. */
  public List<TaskManagerSummary> taskManagers(String hostPort) {
    JsonNode o = getJson(hostPort, "/taskmanagers");
    List<TaskManagerSummary> tms = new ArrayList<>();
    for (JsonNode t : o.path("taskmanagers")) {
      tms.add(
          new TaskManagerSummary(
              t.path("id").asText(),
              t.path("path").asText(),
              t.path("slotsNumber").asInt(),
              t.path("freeSlots").asInt()));
    }
    return List.copyOf(tms);
  }

  /** Every job the cluster knows, as Flink lists them ({@code GET /jobs/overview}). */
  public List<JobSummary> jobs(String hostPort) {
    JsonNode o = getJson(hostPort, "/jobs/overview");
    List<JobSummary> jobs = new ArrayList<>();
    for (JsonNode j : o.path("jobs")) {
      jobs.add(
          new JobSummary(
              j.path("jid").asText(),
              j.path("name").asText(),
              j.path("state").asText(),
              j.path("start-time").asLong(-1),
              j.path("end-time").asLong(-1),
              j.path("duration").asLong(0)));
    }
    return List.copyOf(jobs);
  }

  /**
   * The raw JSON of {@code GET /jobs/{jobId}}: state, timestamps, and per vertex its name,
   * parallelism, duration and record and byte counts ({@code vertices[].metrics}).
   */
  public String jobDetails(String hostPort, String jobId) {
    return get(hostPort, "/jobs/" + checkJobId(jobId));
  }

  /** Asks the cluster to cancel the job ({@code PATCH /jobs/{jobId}?mode=cancel}). */
  public void cancel(String hostPort, String jobId) {
    send(
        hostPort,
        "/jobs/" + checkJobId(jobId) + "?mode=cancel",
        "PATCH",
        HttpRequest.BodyPublishers.noBody());
  }

  private static String checkJobId(String jobId) {
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException(
          "jobId: expected a Flink job id (32 hex digits), got '" + jobId + "'");
    }
    return jobId;
  }

  private JsonNode getJson(String hostPort, String path) {
    String body = get(hostPort, path);
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster at " + hostPort + ": GET " + path + " did not answer JSON", e);
    }
  }

  private String get(String hostPort, String path) {
    return send(hostPort, path, "GET", HttpRequest.BodyPublishers.noBody());
  }

  private String send(String hostPort, String path, String method, HttpRequest.BodyPublisher body) {
    URI uri = uri(hostPort, path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(readTimeout)
            .header("Accept", "application/json")
            .method(method, body)
            .build();
    String what = method + " " + path;
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new FlinkClusterException(
          "Flink cluster at " + hostPort + " is not reachable: no connection within the timeout",
          e);
    } catch (HttpTimeoutException e) {
      throw new FlinkClusterException(
          "Flink cluster at "
              + hostPort
              + ": "
              + what
              + " got no answer within "
              + readTimeout.toSeconds()
              + " s",
          e);
    } catch (ConnectException e) {
      throw new FlinkClusterException(
          "Flink cluster at "
              + hostPort
              + " is not reachable: connection refused (is the cluster running?)",
          e);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink cluster at " + hostPort + " is not reachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException(
          "Flink cluster at " + hostPort + ": interrupted during " + what, e);
    }
    int code = response.statusCode();
    if (code >= 400) {
      throw new FlinkClusterException(
          "Flink cluster at "
              + hostPort
              + ": "
              + what
              + " answered "
              + code
              + errors(response.body()));
    }
    return response.body();
  }

  private static String errors(String body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        String first = errors.get(0).asText().strip();
        int nl = first.indexOf('\n');
        return ": " + (nl < 0 ? first : first.substring(0, nl));
      }
    } catch (IOException e) {
      // Not JSON: fall through to the status code alone.
    }
    return "";
  }

  private static URI uri(String hostPort, String path) {
    String hp = hostPort.strip();
    if (hp.startsWith("http://")) {
      hp = hp.substring("http://".length());
    }
    while (hp.endsWith("/")) {
      hp = hp.substring(0, hp.length() - 1);
    }
    int colon = hp.lastIndexOf(':');
    if (colon <= 0
        || colon == hp.length() - 1
        || !hp.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "Flink REST address: expected host:port, got '" + hostPort + "'");
    }
    try {
      return new URI("http://" + hp + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Flink REST address: expected host:port, got '" + hostPort + "'", e);
    }
  }
}
