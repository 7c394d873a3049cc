package org.jetlag.perf;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The JetLag version, from a resource the build fills in. */
public final class Versions {
  private static final String VERSION = load();

  private Versions() {}

  /** The version of this JetLag build, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String jetlag() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Versions.class.getResourceAsStream("jetlag-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
