package org.jetlag.cli.internal;

import org.jetlag.perf.Versions;
import picocli.CommandLine.IVersionProvider;

/** The version of this JetLag build ({@link Versions#jetlag()}), for {@code --version}. */
public final class VersionProvider implements IVersionProvider {
  /** The JetLag version, such as {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
  public static String version() {
    return Versions.jetlag();
  }

  @Override
  public String[] getVersion() {
    return new String[] {"jetlag " + version()};
  }
}
