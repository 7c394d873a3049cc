package org.jetlag.flink.cluster.internal;

import java.util.List;
import java.util.Map;

/** The text of the files in a cluster's {@code conf/} folder. */
public final class ConfigFiles {
  /**
   * The JVM options Flink's own {@code flink-conf.yaml} sets for Java 17 ({@code
   * env.java.opts.all}), which include the {@code java.nio} opening that Arrow needs in the
   * TaskManagers. Flink's scripts read them from the config; this launcher puts them on the command
   * line itself.
   */
  public static final List<String> JAVA_17_OPTIONS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private ConfigFiles() {}

  /** {@code flink-conf.yaml}: one {@code key: value} line per entry, in the order given. */
  public static String flinkConf(String header, Map<String, String> entries) {
    StringBuilder sb = new StringBuilder();
    for (String line : header.lines().toList()) {
      sb.append("# ").append(line).append('\n');
    }
    for (Map.Entry<String, String> e : entries.entrySet()) {
      sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    return sb.toString();
  }

  /**
   * {@code log4j.properties} for every cluster process: one file per process ({@code -Dlog.file}),
   * appended to ({@code append=true}; a truncating appender loses what was logged before a
   * SIGTERM), rolled at 100 MB.
   */
  public static String log4j() {
    return """
        # Written by JetLag. Each process logs to the file in -Dlog.file.
        monitorInterval = 30
        rootLogger.level = INFO
        rootLogger.appenderRef.file.ref = MainAppender
        logger.pekko.name = org.apache.pekko
        logger.pekko.level = INFO
        logger.shaded_zookeeper.name = org.apache.flink.shaded.zookeeper3
        logger.shaded_zookeeper.level = INFO
        logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
        logger.netty.level = OFF
        appender.main.name = MainAppender
        appender.main.type = RollingFile
        appender.main.append = true
        appender.main.fileName = ${sys:log.file}
        appender.main.filePattern = ${sys:log.file}.%i
        appender.main.layout.type = PatternLayout
        appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
        appender.main.policies.type = Policies
        appender.main.policies.size.type = SizeBasedTriggeringPolicy
        appender.main.policies.size.size = 100MB
        appender.main.strategy.type = DefaultRolloverStrategy
        appender.main.strategy.max = 10
        """;
  }
}
