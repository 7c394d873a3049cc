package org.jetlag.editor;

import java.util.Objects;
import java.util.function.Supplier;
import org.jetlag.remote.JobService;
import org.jetlag.remote.Target;

/**
 * Where the jobs panel finds jobs of one kind of {@link Target}: {@code tapis} (a Tapis tenant,
 * through the login of {@code jetlag remote login}) or {@code flink} (Flink session clusters,
 * through driver processes on this machine). The supplier is asked again until it gives a service,
 * so a login made while the editor is open is picked up; its exception's message (such as "not
 * logged in to Tapis: run 'jetlag remote login …' first") is what the panel shows meanwhile.
 *
 * @param kind {@code tapis} or {@code flink}
 * @param service gives the service, or throws saying why there is none
 */
public record JobSource(String kind, Supplier<JobService> service) {
  /** The kinds, in the order the panel lists them. */
  public static final java.util.List<String> KINDS = java.util.List.of("flink", "tapis");

  /** Validates. */
  public JobSource {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind: expected one of " + KINDS + ", got '" + kind + "'");
    }
    Objects.requireNonNull(service, "service");
  }

  /** The kind of source that takes jobs for {@code target}. */
  public static String kindOf(Target target) {
    return target instanceof Target.Tapis ? "tapis" : "flink";
  }
}
