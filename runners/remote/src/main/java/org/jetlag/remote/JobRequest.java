package org.jetlag.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A job submission ({@code ReqSubmitJob}): which app, where, with what resources, inputs and
 * environment. Only the fields set are sent (the Tapis schema rejects unknown ones).
 *
 * @param name the job's name
 * @param appId the app
 * @param appVersion the app's version
 * @param execSystemId the execution system, or empty for the app's default
 * @param queue the logical queue, or empty for the system's default
 * @param nodeCount nodes, or empty
 * @param coresPerNode cores per node, or empty
 * @param memoryMB memory per node in MB, or empty
 * @param maxMinutes the wall-time limit, or empty
 * @param fileInputs files Tapis stages into the job's input folder
 * @param env environment variables for the app, in order
 */
public record JobRequest(
    String name,
    String appId,
    String appVersion,
    Optional<String> execSystemId,
    Optional<String> queue,
    OptionalInt nodeCount,
    OptionalInt coresPerNode,
    OptionalInt memoryMB,
    OptionalInt maxMinutes,
    List<FileInput> fileInputs,
    Map<String, String> env) {

  /** A file Tapis copies to {@code targetPath} in the job's input folder before the job runs. */
  public record FileInput(String name, String sourceUrl, String targetPath) {
    /** Validates the input. */
    public FileInput {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sourceUrl, "sourceUrl");
      Objects.requireNonNull(targetPath, "targetPath");
    }
  }

  /** Validates and copies. */
  public JobRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(appVersion, "appVersion");
    fileInputs = List.copyOf(fileInputs);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** The request body as Tapis expects it. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("name", name);
    o.put("appId", appId);
    o.put("appVersion", appVersion);
    execSystemId.ifPresent(s -> o.put("execSystemId", s));
    queue.ifPresent(q -> o.put("execSystemLogicalQueue", q));
    nodeCount.ifPresent(n -> o.put("nodeCount", n));
    coresPerNode.ifPresent(n -> o.put("coresPerNode", n));
    memoryMB.ifPresent(n -> o.put("memoryMB", n));
    maxMinutes.ifPresent(n -> o.put("maxMinutes", n));
    if (!fileInputs.isEmpty()) {
      ArrayNode a = o.putArray("fileInputs");
      for (FileInput in : fileInputs) {
        a.addObject()
            .put("name", in.name())
            .put("sourceUrl", in.sourceUrl())
            .put("targetPath", in.targetPath());
      }
    }
    if (!env.isEmpty()) {
      ArrayNode vars = o.putObject("parameterSet").putArray("envVariables");
      env.forEach((k, v) -> vars.addObject().put("key", k).put("value", v));
    }
    return o;
  }
}
