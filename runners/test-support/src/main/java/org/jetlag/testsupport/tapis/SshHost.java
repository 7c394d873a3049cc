package org.jetlag.testsupport.tapis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * One SSH login to an HPC host, as Tapis keeps for an execution system: commands, and SFTP for
 * files. The host key must be the one given (no trust on first use). Reconnects when the session
 * dropped. Thread-safe.
 */
final class SshHost implements AutoCloseable {
  /** The outcome of a remote command. */
  record Result(int exitCode, String out, String err) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private final SshClient client;
  private final String host;
  private final int port;
  private final String user;
  private final Duration timeout = Duration.ofSeconds(60);
  private ClientSession session;

  SshHost(String host, int port, String user, Path privateKey, Path hostPublicKey) {
    this.host = host;
    this.port = port;
    this.user = user;
    PublicKey hostKey;
    try {
      List<AuthorizedKeyEntry> keys = AuthorizedKeyEntry.readAuthorizedKeys(hostPublicKey);
      hostKey = keys.get(0).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read host key " + hostPublicKey + ": " + e, e);
    }
    client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey));
    client.setKeyIdentityProvider(new FileKeyPairProvider(privateKey));
    client.start();
  }

  private synchronized ClientSession session() throws IOException {
    if (session == null || !session.isOpen()) {
      ClientSession s = client.connect(user, host, port).verify(timeout).getSession();
      s.auth().verify(timeout);
      session = s;
    }
    return session;
  }

  /** Runs {@code command} with {@code sh -c} semantics and waits for it (with a deadline). */
  Result exec(String command) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = exec(command, out, err);
    return new Result(
        rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code command}, streaming its output; returns the exit status. */
  int exec(String command, OutputStream out, OutputStream err) throws IOException {
    try (ChannelExec ch = session().createExecChannel(command)) {
      ch.setOut(out);
      ch.setErr(err);
      ch.open().verify(timeout);
      ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.multipliedBy(10));
      Integer status = ch.getExitStatus();
      if (status == null) {
        throw new IOException("ssh " + host + ": no exit status from: " + command);
      }
      return status;
    }
  }

  /** Writes {@code data} to {@code path} over SFTP, creating or replacing it. */
  void write(String path, InputStream data) throws IOException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session());
        OutputStream os = sftp.write(path)) {
      data.transferTo(os);
    }
  }

  /** Copies {@code path} to {@code out} over SFTP. */
  void read(String path, OutputStream out) throws IOException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session());
        InputStream in = sftp.read(path)) {
      in.transferTo(out);
    }
  }

  /** A listing entry. */
  record Entry(String name, boolean dir, long size, long mtimeMillis, String perms) {}

  /** The entries of a folder (without . and ..), or of one file when {@code path} is a file. */
  List<Entry> list(String path) throws IOException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session())) {
      SftpClient.Attributes a = sftp.stat(path);
      List<Entry> entries = new ArrayList<>();
      if (!a.isDirectory()) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        entries.add(entry(name, a));
        return entries;
      }
      for (SftpClient.DirEntry e : sftp.readDir(path)) {
        if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
          entries.add(entry(e.getFilename(), e.getAttributes()));
        }
      }
      entries.sort(java.util.Comparator.comparing(Entry::name));
      return entries;
    }
  }

  /** True when {@code path} exists. */
  boolean exists(String path) throws IOException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session())) {
      sftp.stat(path);
      return true;
    } catch (org.apache.sshd.sftp.common.SftpException e) {
      return false;
    }
  }

  private static Entry entry(String name, SftpClient.Attributes a) {
    return new Entry(
        name,
        a.isDirectory(),
        a.getSize(),
        a.getModifyTime() == null ? 0 : a.getModifyTime().toMillis(),
        Integer.toOctalString(a.getPermissions() & 07777));
  }

  /** Single-quotes {@code s} for a POSIX shell. */
  static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Override
  public synchronized void close() throws IOException {
    if (session != null) {
      session.close();
    }
    client.stop();
  }
}
