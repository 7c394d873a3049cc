package org.jetlag.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void theFileIsReadableByItsOwnerAloneAndRoundTrips(@TempDir Path tmp) throws IOException {
    TokenStore s = TokenStore.at(tmp.resolve("cfg/token.json"));
    TapisToken t =
        new TapisToken(
            "https://t.example", "alice", "SECRET-JWT", NOW.plusSeconds(3600), Optional.of("R"));
    s.save(t);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file().getParent())))
        .isEqualTo("rwx------");
    assertThat(s.load()).contains(t);
    assertThat(t.toString()).doesNotContain("SECRET-JWT").doesNotContain("R]");
    try (var files = Files.list(tmp.resolve("cfg"))) {
      assertThat(files).hasSize(1); // no temporary file left
    }
    assertThat(s.delete()).isTrue();
    assertThat(s.load()).isEmpty();
  }

  @Test
  void aTokenFileOthersCanReadIsRefused(@TempDir Path tmp) throws IOException {
    TokenStore s = TokenStore.at(tmp.resolve("token.json"));
    s.save(new TapisToken("https://t", "a", "x", NOW, Optional.empty()));
    Files.setPosixFilePermissions(s.file(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(s::load)
        .hasMessageContaining("others may read it")
        .hasMessageContaining("log in again");
  }

  @Test
  void anExpiredTokenWithoutRefreshAsksForANewLogin(@TempDir Path tmp) {
    TokenStore s = TokenStore.at(tmp.resolve("token.json"));
    s.save(
        new TapisToken("https://t.example", "alice", "x", NOW.minusSeconds(1), Optional.empty()));
    assertThatThrownBy(
            () -> s.tokenSource(Clock.fixed(NOW, ZoneOffset.UTC), RetryPolicy.defaults()).get())
        .isInstanceOf(TapisException.class)
        .hasMessageContaining("expired at 2026-11-25T11:59:59Z")
        .hasMessageContaining("jetlag remote login --tapis https://t.example --user alice")
        .satisfies(e -> assertThat(((TapisException) e).needsLogin()).isTrue());
  }

  @Test
  void noTokenSaysHowToLogIn(@TempDir Path tmp) {
    assertThatThrownBy(
            () ->
                TokenStore.at(tmp.resolve("none.json"))
                    .tokenSource(Clock.systemUTC(), RetryPolicy.defaults())
                    .get())
        .hasMessageContaining("not logged in");
  }

  @Test
  void aValidTokenIsUsedAsIs(@TempDir Path tmp) {
    TokenStore s = TokenStore.at(tmp.resolve("token.json"));
    s.save(new TapisToken("https://t", "a", "jwt", NOW.plusSeconds(600), Optional.empty()));
    assertThat(s.tokenSource(Clock.fixed(NOW, ZoneOffset.UTC), RetryPolicy.defaults()).get())
        .isEqualTo("jwt");
  }
}
