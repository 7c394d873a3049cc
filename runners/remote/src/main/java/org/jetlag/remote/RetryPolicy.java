package org.jetlag.remote;

import java.time.Duration;

/**
 * How often and how patiently a Tapis call is retried: after a connection failure or an HTTP 5xx
 * answer, never after a 4xx. Waits double from {@code firstWait} up to {@code maxWait}.
 *
 * @param attempts total attempts, at least 1
 * @param firstWait the wait before the second attempt
 * @param maxWait the longest wait between attempts
 */
public record RetryPolicy(int attempts, Duration firstWait, Duration maxWait) {
  /** Validates the policy. */
  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts: expected at least 1, got " + attempts);
    }
    if (firstWait.isNegative() || maxWait.compareTo(firstWait) < 0) {
      throw new IllegalArgumentException(
          "waits: expected 0 <= firstWait <= maxWait, got " + firstWait + ", " + maxWait);
    }
  }

  /** Six attempts, waiting 0.5 s, 1 s, 2 s, 4 s, 5 s between them. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(5));
  }

  /** The wait before attempt {@code n + 1} (n counts from 1). */
  public Duration waitAfter(int n) {
    long ms = firstWait.toMillis() << Math.min(n - 1, 20);
    return Duration.ofMillis(Math.min(ms, maxWait.toMillis()));
  }
}
