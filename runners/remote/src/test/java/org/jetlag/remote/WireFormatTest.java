package org.jetlag.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins the client's wire format (paths, methods, field names) to the Tapis OpenAPI documents. */
class WireFormatTest {
  FakeTapis fake;
  TapisClient client;

  @BeforeEach
  void setUp() throws IOException {
    fake = new FakeTapis();
    client =
        TapisClient.create(
            fake.url(),
            () -> "jwt-123",
            new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2)));
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  @Test
  void everyCallUsesAPathAndMethodTheDocumentsDeclare(@TempDir Path tmp) throws IOException {
    Path f = Files.writeString(tmp.resolve("b.zip"), "zip");
    fake.result("[]");
    client.jobs(10);
    client.history("u-1");
    client.outputs("u-1", "", false);
    client.list("sys", "a/b");
    fake.result("{\"status\":\"QUEUED\",\"condition\":null}");
    client.status("u-1");
    fake.result("{}");
    client.job("u-1");
    client.cancel("u-1");
    client.system("sys");
    client.app("jetlag-zip", "1.0");
    client.mkdir("sys", "staging/x");
    client.upload("sys", "staging/x/bundle.zip", f);
    client.delete("sys", "staging/x");
    client.submit(request());
    fake.answer(200, "zip-bytes");
    client.downloadOutput("u-1", "", tmp.resolve("out.zip"), false);
    fake.answer(200, "1.0");
    client.content("sys", "opt/jetlag/VERSION");
    fake.answer(
        201,
        FakeTapis.envelope(
            "success",
            "ok",
            "{\"access_token\":{\"access_token\":\"a\",\"expires_at\":\"2030-01-01T00:00:00+00:00\"}}"));
    TapisClient.login(fake.url(), "u", "pw".toCharArray(), RetryPolicy.defaults());

    assertThat(fake.requests).hasSize(16);
    for (FakeTapis.Request r : fake.requests) {
      assertThat(OpenApi.declares(r.method(), r.path()))
          .as("%s %s is in the Tapis OpenAPI documents", r.method(), r.path())
          .isTrue();
      if (!r.path().equals("/v3/oauth2/tokens")) {
        assertThat(r.token()).as("X-Tapis-Token on %s", r.path()).isEqualTo("jwt-123");
      } else {
        assertThat(r.token()).isNull();
      }
    }
    List<String> paths = new ArrayList<>();
    fake.requests.forEach(r -> paths.add(r.method() + " " + r.path()));
    assertThat(paths)
        .contains(
            "GET /v3/jobs/list",
            "GET /v3/jobs/u-1/status",
            "POST /v3/jobs/u-1/cancel",
            "GET /v3/jobs/u-1/output/list/",
            "GET /v3/jobs/u-1/output/download/",
            "POST /v3/jobs/submit",
            "POST /v3/files/ops/sys",
            "POST /v3/files/ops/sys/staging/x/bundle.zip",
            "GET /v3/files/content/sys/opt/jetlag/VERSION",
            "POST /v3/oauth2/tokens");
  }

  @Test
  void aSubmissionUsesOnlyReqSubmitJobFields() {
    client.submit(request());
    JsonNode body = fake.requests.get(0).json();
    assertThat(fieldNames(body)).isSubsetOf(OpenApi.properties("jobs", "ReqSubmitJob"));
    assertThat(fieldNames(body))
        .contains(
            "name",
            "appId",
            "appVersion",
            "execSystemId",
            "execSystemLogicalQueue",
            "nodeCount",
            "coresPerNode",
            "maxMinutes",
            "fileInputs",
            "parameterSet");
    assertThat(fieldNames(body.get("fileInputs").get(0)))
        .isSubsetOf(OpenApi.properties("jobs", "JobFileInput"));
    assertThat(fieldNames(body.get("parameterSet")))
        .isSubsetOf(OpenApi.properties("jobs", "JobParameterSet"));
    assertThat(fieldNames(body.get("parameterSet").get("envVariables").get(0)))
        .isSubsetOf(OpenApi.properties("jobs", "KeyValuePair"));
    assertThat(body.get("fileInputs").get(0).get("sourceUrl").asText())
        .isEqualTo("tapis://sys/staging/x/bundle.zip");
  }

  @Test
  void loginSendsNewTokenFieldsAndReadsTokenResponse() {
    fake.answer(
        201,
        FakeTapis.envelope(
            "success",
            "Token created",
            "{\"access_token\":{\"access_token\":\"jwt\",\"expires_at\":\"2030-01-01T00:00:00.000000+00:00\",\"expires_in\":14400},"
                + "\"refresh_token\":{\"refresh_token\":\"r\",\"expires_at\":\"2030-01-02T00:00:00+00:00\"}}"));
    TapisToken t =
        TapisClient.login(fake.url(), "alice", "pw".toCharArray(), RetryPolicy.defaults());
    JsonNode body = fake.requests.get(0).json();
    assertThat(fieldNames(body)).containsExactlyInAnyOrder("username", "password", "grant_type");
    assertThat(fieldNames(body)).isSubsetOf(OpenApi.properties("authenticator", "NewToken"));
    assertThat(body.get("grant_type").asText()).isEqualTo("password");
    assertThat(OpenApi.properties("authenticator", "TokenResponse"))
        .contains("access_token", "refresh_token");
    assertThat(t.accessToken()).isEqualTo("jwt");
    assertThat(t.refreshToken()).contains("r");
    assertThat(t.expiresAt().toString()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(t.toString()).doesNotContain("jwt").doesNotContain("\"r\"");
  }

  @Test
  void mkdirAndUploadMatchTheFilesDocument(@TempDir Path tmp) throws IOException {
    client.mkdir("sys", "a/b");
    assertThat(fieldNames(fake.requests.get(0).json()))
        .containsExactly("path")
        .isSubsetOf(OpenApi.properties("files", "MkdirRequest"));
    Path f = Files.writeString(tmp.resolve("x.bin"), "PAYLOAD");
    client.upload("sys", "a/b/x.bin", f);
    FakeTapis.Request up = fake.requests.get(1);
    assertThat(up.method()).isEqualTo("POST");
    assertThat(up.contentType()).startsWith("multipart/form-data; boundary=");
    assertThat(up.text())
        .contains("Content-Disposition: form-data; name=\"file\"; filename=\"x.bin\"")
        .contains("PAYLOAD");
    JsonNode schema =
        OpenApi.doc("files")
            .path("paths")
            .path("/v3/files/ops/{systemId}/{path}")
            .path("post")
            .path("requestBody")
            .path("content")
            .path("multipart/form-data")
            .path("schema");
    assertThat(fieldNames(schema.path("properties"))).containsExactly("file");
  }

  @Test
  void whatTheClientReadsExistsInTheResponseSchemas() {
    assertThat(
            List.of(
                "uuid",
                "name",
                "status",
                "condition",
                "lastMessage",
                "remoteJobId",
                "created",
                "ended",
                "execSystemId",
                "appId"))
        .isSubsetOf(OpenApi.properties("jobs", "Job"));
    assertThat(
            List.of(
                "uuid", "name", "status", "condition", "created", "ended", "execSystemId", "appId"))
        .isSubsetOf(OpenApi.properties("jobs", "JobListDTO"));
    assertThat(List.of("status", "condition"))
        .isSubsetOf(OpenApi.properties("jobs", "JobStatusDisplay"));
    assertThat(List.of("event", "created", "eventDetail", "description"))
        .isSubsetOf(OpenApi.properties("jobs", "JobHistoryDisplayDTO"));
    assertThat(List.of("name", "path", "type", "size"))
        .isSubsetOf(OpenApi.properties("files", "FileInfo"));
    assertThat(List.of("name", "path", "type", "size"))
        .isSubsetOf(OpenApi.properties("jobs", "FileInfo"));
    assertThat(List.of("status", "message", "version", "result", "metadata"))
        .isSubsetOf(OpenApi.properties("jobs", "RespGetJob"));
    assertThat(
            List.of(
                "rootDir",
                "canExec",
                "jobRuntimes",
                "batchScheduler",
                "batchLogicalQueues",
                "batchDefaultLogicalQueue",
                "host"))
        .isSubsetOf(OpenApi.properties("systems", "TapisSystem"));
    assertThat(List.of("name", "hpcQueueName", "maxNodeCount", "maxCoresPerNode", "maxMinutes"))
        .isSubsetOf(OpenApi.properties("systems", "LogicalQueue"));
    assertThat(List.of("id", "version", "runtime", "containerImage", "jobType", "jobAttributes"))
        .isSubsetOf(OpenApi.properties("apps", "ReqPostApp"));
    assertThat(
            List.of(
                "execSystemId",
                "parameterSet",
                "nodeCount",
                "coresPerNode",
                "memoryMB",
                "maxMinutes",
                "archiveOnAppError"))
        .isSubsetOf(OpenApi.properties("apps", "JobAttributes"));
    assertThat(List.of("envVariables")).isSubsetOf(OpenApi.properties("apps", "ParameterSet"));
    assertThat(JobStates.ORDER)
        .allSatisfy(s -> assertThat(OpenApi.doc("jobs").toString()).contains("\"" + s + "\""));
  }

  @Test
  void jobAndStatusAnswersAreParsed() {
    fake.result(
        "{\"uuid\":\"u-1\",\"name\":\"n\",\"status\":\"FAILED\",\"condition\":\"SCHEDULER_TIMEOUT\",\"remoteJobId\":\"42\",\"lastMessage\":\"m\"}");
    RemoteJob j = client.job("u-1");
    assertThat(j.status()).isEqualTo("FAILED");
    assertThat(j.condition()).isEqualTo("SCHEDULER_TIMEOUT");
    assertThat(j.remoteJobId()).isEqualTo("42");
    assertThat(j.terminal()).isTrue();
    fake.result("{\"status\":\"RUNNING\",\"condition\":null}");
    RemoteJob s = client.status("u-1");
    assertThat(s.uuid()).isEqualTo("u-1");
    assertThat(s.condition()).isEmpty();
    assertThat(s.terminal()).isFalse();
  }

  static JobRequest request() {
    return new JobRequest(
        "g-1",
        "jetlag-zip",
        "1.0",
        Optional.of("sys"),
        Optional.of("debug"),
        OptionalInt.of(1),
        OptionalInt.of(2),
        OptionalInt.empty(),
        OptionalInt.of(5),
        List.of(
            new JobRequest.FileInput("bundle", "tapis://sys/staging/x/bundle.zip", "bundle.zip")),
        Map.of("A", "1"));
  }

  static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
