package org.jetlag.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jetlag.graph.JetLagException;

/** Jobs on Tapis execution systems, through one logged-in client ({@link RemoteJobs}). */
public final class TapisJobs implements JobService {
  private final TapisClient client;

  /** Jobs through {@code client}. */
  public TapisJobs(TapisClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Jobs of the user logged in with {@code jetlag remote login} (the token in {@link
   * TokenStore#defaultStore()}, refreshed when it expires).
   *
   * @throws JetLagException saying how to log in when there is no token
   */
  public static TapisJobs loggedIn() {
    TokenStore store = TokenStore.defaultStore();
    TapisToken t =
        store
            .load()
            .orElseThrow(
                () ->
                    new JetLagException(
                        "not logged in to Tapis: run 'jetlag remote login --tapis URL --user NAME'"
                            + " first"));
    RetryPolicy retry = RetryPolicy.defaults();
    return new TapisJobs(
        TapisClient.create(
            java.net.URI.create(t.baseUrl()),
            store.tokenSource(java.time.Clock.systemUTC(), retry),
            retry));
  }

  /** The client. */
  public TapisClient client() {
    return client;
  }

  @Override
  public RemoteJob submit(Submission s) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory("jetlag-submit-");
    } catch (IOException e) {
      throw new JetLagException("no temporary folder for the job bundle: " + e, e);
    }
    try {
      return RemoteJobs.submit(client, s, scratch);
    } finally {
      try {
        Files.deleteIfExists(scratch);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public RemoteJob status(String id) {
    return client.status(id);
  }

  @Override
  public RemoteJob job(String id) {
    return client.job(id);
  }

  @Override
  public List<JobEvent> history(String id) {
    return client.history(id);
  }

  @Override
  public List<RemoteJob> jobs(int limit) {
    return client.jobs(limit);
  }

  @Override
  public void cancel(String id) {
    client.cancel(id);
  }

  @Override
  public List<String> fetch(String id, Path dir) {
    return RemoteJobs.fetch(client, id, dir);
  }

  @Override
  public Optional<String> log(String id, int lines) {
    return RemoteJobs.remoteLog(client, id, lines);
  }

  @Override
  public boolean transientFailure(JetLagException e) {
    return e instanceof TapisException t && t.httpStatus() == 0 && !t.needsLogin();
  }
}
