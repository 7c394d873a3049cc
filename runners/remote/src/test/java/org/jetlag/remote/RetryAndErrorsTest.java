package org.jetlag.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries on connection failures and 5xx with backoff, never on 4xx; errors in one clear line. */
class RetryAndErrorsTest {
  static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20));
  FakeTapis fake;
  TapisClient client;

  @BeforeEach
  void setUp() throws IOException {
    fake = new FakeTapis();
    client = TapisClient.create(fake.url(), () -> "t", FAST);
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  @Test
  void fiveHundredsAreRetriedUntilSuccess() {
    fake.answer(503, FakeTapis.envelope("error", "busy", "null"));
    fake.answer(502, "<html>bad gateway</html>");
    fake.result("{\"status\":\"RUNNING\"}");
    assertThat(client.status("u").status()).isEqualTo("RUNNING");
    assertThat(fake.requests).hasSize(3);
  }

  @Test
  void droppedConnectionsAreRetried() {
    fake.answer(-1, "");
    fake.answer(-1, "");
    fake.result("[]");
    assertThat(client.jobs(5)).isEmpty();
    assertThat(fake.requests).hasSize(3);
  }

  @Test
  void fourHundredsAreNeverRetriedAndCarryTapisMessage() {
    fake.answer(404, FakeTapis.envelope("error", "JOBS_JOB_NOT_FOUND job u not found", "null"));
    assertThatThrownBy(() -> client.job("u"))
        .isInstanceOf(TapisException.class)
        .hasMessage("GET /v3/jobs/u: HTTP 404: JOBS_JOB_NOT_FOUND job u not found")
        .satisfies(e -> assertThat(((TapisException) e).httpStatus()).isEqualTo(404));
    assertThat(fake.requests).hasSize(1);
  }

  @Test
  void unauthorisedSaysToLogInAgain() {
    fake.answer(401, FakeTapis.envelope("error", "TAPIS_SECURITY_JWT_EXPIRED", "null"));
    assertThatThrownBy(() -> client.jobs(1))
        .isInstanceOf(TapisException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("jetlag remote login")
        .satisfies(e -> assertThat(((TapisException) e).needsLogin()).isTrue());
    assertThat(fake.requests).hasSize(1);
  }

  @Test
  void anErrorEnvelopeWithStatus200IsAnError() {
    fake.answer(200, FakeTapis.envelope("error", "SOMETHING wrong", "null"));
    assertThatThrownBy(() -> client.system("s"))
        .hasMessage("GET /v3/systems/s: HTTP 200: SOMETHING wrong");
  }

  @Test
  void aSubmissionIsNotRepeatedAfterA5xx() {
    fake.answer(503, FakeTapis.envelope("error", "JOBS_UNAVAILABLE", "null"));
    assertThatThrownBy(() -> client.submit(WireFormatTest.request()))
        .hasMessageContaining("HTTP 503");
    assertThat(fake.requests).hasSize(1);
  }

  @Test
  void noServerFailsAfterTheAttemptsWithAClearMessage() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TapisClient dead = TapisClient.create(URI.create("http://127.0.0.1:" + port), () -> "t", FAST);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> dead.jobs(1))
        .isInstanceOf(TapisException.class)
        .hasMessageContaining("GET /v3/jobs/list")
        .hasMessageContaining("no answer from http://127.0.0.1:" + port + " after 4 attempt(s)")
        .satisfies(e -> assertThat(((TapisException) e).httpStatus()).isZero());
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(5 + 10 + 20));
  }

  @Test
  void backoffDoublesUpToTheCap() {
    RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(5));
    assertThat(p.waitAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.waitAfter(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.waitAfter(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.waitAfter(5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.waitAfter(40)).isEqualTo(Duration.ofSeconds(5));
  }
}
