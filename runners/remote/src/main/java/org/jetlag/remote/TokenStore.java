package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Tapis token of the logged-in user, kept in one JSON file that only the user can read and
 * write (mode 0600, written atomically through a temporary file created with that mode). No
 * password is ever stored; the tokens are never printed.
 */
public final class TokenStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path file;

  private TokenStore(Path file) {
    this.file = file;
  }

  /** The store in {@code file}. */
  public static TokenStore at(Path file) {
    return new TokenStore(file);
  }

  /**
   * The default store: {@code tapis-token.json} in the JetLag settings folder, which is the system
   * property {@code jetlag.config.dir}, else {@code $JETLAG_CONFIG_DIR}, else {@code ~/.jetlag}.
   */
  public static TokenStore defaultStore() {
    return at(configDir().resolve("tapis-token.json"));
  }

  /** The JetLag settings folder (see {@link #defaultStore}). */
  public static Path configDir() {
    String dir = System.getProperty("jetlag.config.dir");
    if (dir == null || dir.isEmpty()) {
      dir = System.getenv("JETLAG_CONFIG_DIR");
    }
    if (dir == null || dir.isEmpty()) {
      return Path.of(System.getProperty("user.home"), ".jetlag");
    }
    return Path.of(dir);
  }

  /** The file the token lives in. */
  public Path file() {
    return file;
  }

  /** Saves {@code t}, replacing any earlier token. */
  public void save(TapisToken t) {
    ObjectNode o = JSON.createObjectNode();
    o.put("baseUrl", t.baseUrl());
    o.put("user", t.user());
    o.put("accessToken", t.accessToken());
    o.put("expiresAt", t.expiresAt().toString());
    t.refreshToken().ifPresent(r -> o.put("refreshToken", r));
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        // A new settings folder is private too (an existing one is left as the user made it).
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path temp;
      try {
        temp =
            Files.createTempFile(
                dir, ".token-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (UnsupportedOperationException e) {
        throw new TapisException(
            "token store '" + file + "': the file system cannot restrict the file to its owner",
            0,
            false,
            e);
      }
      try {
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    } catch (IOException e) {
      throw new TapisException(
          "token store '" + file + "': cannot write: " + reason(e), 0, false, e);
    }
  }

  /** The saved token, or empty when there is none. */
  public Optional<TapisToken> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new TapisException(
            "token store '"
                + file
                + "': others may read it (mode "
                + PosixFilePermissions.toString(perms)
                + "); delete it and log in again",
            0,
            true,
            null);
      }
      JsonNode o = JSON.readTree(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      return Optional.of(
          new TapisToken(
              o.path("baseUrl").asText(),
              o.path("user").asText(),
              o.path("accessToken").asText(),
              Instant.parse(o.path("expiresAt").asText()),
              Optional.ofNullable(o.get("refreshToken")).map(JsonNode::asText)));
    } catch (IOException | RuntimeException e) {
      if (e instanceof TapisException) {
        throw (TapisException) e;
      }
      throw new TapisException(
          "token store '" + file + "': unreadable (" + reason(e) + "); log in again", 0, true, e);
    }
  }

  /** Deletes the saved token; true when there was one. */
  public boolean delete() {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new TapisException(
          "token store '" + file + "': cannot delete: " + reason(e), 0, false, e);
    }
  }

  /**
   * The access token to send with each call: the saved one while it is valid, else a refreshed one
   * (saved again) when Tapis gave a refresh token, else a {@link TapisException} asking the user to
   * log in again.
   */
  public Supplier<String> tokenSource(Clock clock, RetryPolicy retry) {
    return () -> {
      TapisToken t =
          load()
              .orElseThrow(
                  () ->
                      new TapisException(
                          "not logged in to Tapis: run 'jetlag remote login --tapis URL --user NAME'",
                          0,
                          true,
                          null));
      if (!t.expired(clock.instant())) {
        return t.accessToken();
      }
      if (t.refreshToken().isEmpty()) {
        throw new TapisException(
            "the Tapis token of '"
                + t.user()
                + "' at "
                + t.baseUrl()
                + " expired at "
                + t.expiresAt()
                + ": run 'jetlag remote login --tapis "
                + t.baseUrl()
                + " --user "
                + t.user()
                + "' again",
            0,
            true,
            null);
      }
      TapisToken fresh = TapisClient.refresh(t, retry);
      save(fresh);
      return fresh.accessToken();
    };
  }

  private static String reason(Exception e) {
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
