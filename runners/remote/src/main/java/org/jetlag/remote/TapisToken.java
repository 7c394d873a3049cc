package org.jetlag.remote;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Tapis access token for one user of one tenant, and the refresh token when Tapis gave one.
 * {@link #toString} never shows the tokens.
 *
 * @param baseUrl the tenant's base URL, such as {@code https://tacc.tapis.io}
 * @param user the Tapis user name
 * @param accessToken the JWT sent as {@code X-Tapis-Token}
 * @param expiresAt when the access token expires
 * @param refreshToken the refresh token, or empty
 */
public record TapisToken(
    String baseUrl,
    String user,
    String accessToken,
    Instant expiresAt,
    Optional<String> refreshToken) {
  /** Validates the token. */
  public TapisToken {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(refreshToken, "refreshToken");
  }

  /** True when the access token has expired at {@code now} (or will within a minute). */
  public boolean expired(Instant now) {
    return !now.plusSeconds(60).isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "TapisToken[" + user + "@" + baseUrl + ", expires " + expiresAt + ", <hidden>]";
  }
}
