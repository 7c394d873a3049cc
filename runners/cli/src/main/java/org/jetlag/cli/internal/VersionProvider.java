package org.jetlag.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version from the build-filtered {@code version.properties}, else the jar manifest. */
public final class VersionProvider implements IVersionProvider {
  /** The JetLag version, such as {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
  public static String version() {
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("/org/jetlag/cli/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through to the manifest
    }
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"jetlag " + version()};
  }
}
