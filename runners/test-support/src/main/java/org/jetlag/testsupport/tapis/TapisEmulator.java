package org.jetlag.testsupport.tapis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EMULATOR of the Tapis v3 REST API for JetLag's tests and demos. It is not Tapis: it speaks the
 * subset JetLag uses (authenticator tokens, systems, apps, files, jobs) with the paths, field names
 * and envelope of the public Tapis OpenAPI documents, and it drives a real Slurm the way Tapis
 * does: over SSH it stages the inputs, unpacks the ZIP app into the job's exec folder, writes
 * {@code tapisjob.sh} (with {@code #SBATCH} lines) and {@code tapisjob.env}, runs {@code sbatch},
 * watches the job with {@code squeue} and, once Slurm forgets it, {@code sacct}, archives the
 * outputs and walks the Tapis job states; {@code cancel} runs {@code scancel}. Every answer carries
 * the header {@code X-Tapis-Emulator: jetlag} and the envelope version {@code jetlag-emulator}.
 *
 * <p>Faults for tests: {@link #dropConnections} closes the next connections without an answer;
 * {@link Config#tokenTtl} makes tokens expire quickly.
 */
public final class TapisEmulator implements AutoCloseable {
  /** The version string in every envelope: says plainly this is not Tapis. */
  public static final String VERSION = "jetlag-emulator (not Tapis)";

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How the emulator reaches systems and behaves.
   *
   * @param privateKey the SSH private key it logs in to every system with (Tapis keeps a user's
   *     credentials; here there is one)
   * @param hostPublicKey the public host key every system must present
   * @param tokenTtl how long issued access tokens live
   * @param pollFirst first wait between Slurm polls
   * @param pollMax longest wait between Slurm polls (polling backs off stepwise)
   */
  public record Config(
      Path privateKey,
      Path hostPublicKey,
      Duration tokenTtl,
      Duration pollFirst,
      Duration pollMax) {
    /** Validates. */
    public Config {
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(hostPublicKey, "hostPublicKey");
    }
  }

  private final Config config;
  private final HttpServer server;
  private final ExecutorService httpThreads;
  private final ExecutorService workers;
  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> systems = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> apps = new ConcurrentHashMap<>();
  private final Map<String, EmulatedJob> jobs = new ConcurrentHashMap<>();
  private final List<Future<?>> running = new ArrayList<>();
  private final Map<String, SshHost> hosts = new ConcurrentHashMap<>();
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger seq = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();
  private volatile Duration tokenTtl;

  private record Token(String user, Instant expires) {}

  private TapisEmulator(Config config) throws IOException {
    this.config = config;
    this.tokenTtl = config.tokenTtl();
    this.httpThreads = Executors.newFixedThreadPool(4, daemon("tapis-emulator-http"));
    this.workers = Executors.newCachedThreadPool(daemon("tapis-emulator-job"));
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(httpThreads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts an emulator on a free port of 127.0.0.1. */
  public static TapisEmulator start(Config config) {
    try {
      return new TapisEmulator(config);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Tapis emulator: " + e, e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The base URL, such as {@code http://127.0.0.1:41234}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds a user who can log in with {@code password}. */
  public void addUser(String user, String password) {
    users.put(user, password);
  }

  /** Changes the lifetime of tokens issued from now on. */
  public void setTokenTtl(Duration ttl) {
    this.tokenTtl = ttl;
  }

  /** The next {@code n} requests whose path starts with {@code prefix} get no answer at all. */
  public void dropConnections(int n, String prefix) {
    dropPrefix = prefix;
    drops.set(n);
  }

  private volatile String dropPrefix = "/";

  /** The scheduler's job id of a job, once submitted to Slurm, else empty. */
  public String remoteJobId(String uuid) {
    EmulatedJob j = jobs.get(uuid);
    return j == null ? "" : j.remoteJobId;
  }

  /** The job's exec folder on its system, once known. */
  public String execDir(String uuid) {
    EmulatedJob j = jobs.get(uuid);
    return j == null ? "" : j.execDir;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    if (path.startsWith(dropPrefix) && drops.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      ex.getRequestBody().readAllBytes();
      ex.close(); // no status line, no headers: the client sees the connection drop
      return;
    }
    ex.getResponseHeaders().add("X-Tapis-Emulator", "jetlag");
    try {
      route(ex, ex.getRequestMethod(), path);
    } catch (HttpError e) {
      sendEnvelope(ex, e.status, "error", e.getMessage(), null);
    } catch (IOException | RuntimeException | LinkageError e) {
      // An SSH failure towards the system, or a bug: a 500 that names it.
      sendEnvelope(ex, 500, "error", "TAPIS_EMULATOR_INTERNAL " + e, null);
    } finally {
      ex.close();
    }
  }

  private static final Pattern SYSTEM = Pattern.compile("/v3/systems/([^/]+)");
  private static final Pattern APP = Pattern.compile("/v3/apps/([^/]+)(?:/([^/]+))?");
  private static final Pattern FILES_OPS = Pattern.compile("/v3/files/ops/([^/]+)(?:/(.*))?");
  private static final Pattern FILES_CONTENT = Pattern.compile("/v3/files/content/([^/]+)/(.*)");
  private static final Pattern JOB =
      Pattern.compile("/v3/jobs/([0-9a-f-]{36}(?:-[0-9]+)?)(/status|/history|/cancel)?");
  private static final Pattern JOB_OUTPUT =
      Pattern.compile("/v3/jobs/([0-9a-f-]{36}(?:-[0-9]+)?)/output/(list|download)/(.*)");

  private void route(HttpExchange ex, String method, String path) throws IOException, HttpError {
    Matcher m;
    if (method.equals("POST") && path.equals("/v3/oauth2/tokens")) {
      login(ex);
      return;
    }
    String user = authenticate(ex);
    if (method.equals("POST") && path.equals("/v3/systems")) {
      createSystem(ex, user);
    } else if (method.equals("GET") && (m = SYSTEM.matcher(path)).matches()) {
      sendResult(ex, 200, system(decode(m.group(1))));
    } else if (method.equals("POST") && path.equals("/v3/apps")) {
      createApp(ex, user);
    } else if (method.equals("GET") && (m = APP.matcher(path)).matches()) {
      sendResult(ex, 200, app(decode(m.group(1)), m.group(2) == null ? null : decode(m.group(2))));
    } else if ((m = FILES_OPS.matcher(path)).matches()) {
      files(ex, method, decode(m.group(1)), m.group(2) == null ? null : decodePath(m.group(2)));
    } else if (method.equals("GET") && (m = FILES_CONTENT.matcher(path)).matches()) {
      ObjectNode sys = system(decode(m.group(1)));
      String p = hostPath(sys, decodePath(m.group(2)));
      sendFile(ex, ssh(sys), p, "true".equals(query(ex).get("zip")));
    } else if (method.equals("POST") && path.equals("/v3/jobs/submit")) {
      submit(ex, user);
    } else if (method.equals("GET") && path.equals("/v3/jobs/list")) {
      listJobs(ex, user);
    } else if ((m = JOB_OUTPUT.matcher(path)).matches() && method.equals("GET")) {
      output(ex, job(m.group(1), user), m.group(2), decodePath(m.group(3)));
    } else if ((m = JOB.matcher(path)).matches()) {
      EmulatedJob j = job(m.group(1), user);
      String what = m.group(2) == null ? "" : m.group(2);
      if (method.equals("GET") && what.isEmpty()) {
        sendResult(ex, 200, j.toJson());
      } else if (method.equals("GET") && what.equals("/status")) {
        ObjectNode s = JSON.createObjectNode();
        synchronized (j) {
          s.put("status", j.status);
          if (j.condition != null) {
            s.put("condition", j.condition);
          } else {
            s.putNull("condition");
          }
        }
        sendResult(ex, 200, s);
      } else if (method.equals("GET") && what.equals("/history")) {
        sendResult(ex, 200, j.historyJson());
      } else if (method.equals("POST") && what.equals("/cancel")) {
        ex.getRequestBody().readAllBytes();
        cancel(ex, j);
      } else {
        throw new HttpError(405, "TAPIS_EMULATOR_METHOD " + method + " " + path + " is not served");
      }
    } else {
      throw new HttpError(
          404, "TAPIS_EMULATOR_NOT_FOUND the emulator does not serve " + method + " " + path);
    }
  }

  private String authenticate(HttpExchange ex) throws HttpError {
    String t = ex.getRequestHeaders().getFirst("X-Tapis-Token");
    if (t == null || t.isEmpty()) {
      throw new HttpError(401, "TAPIS_SECURITY_MISSING_JWT no X-Tapis-Token header");
    }
    Token tok = tokens.get(t);
    if (tok == null) {
      throw new HttpError(401, "TAPIS_SECURITY_JWT_INVALID the token is not valid");
    }
    if (Instant.now().isAfter(tok.expires())) {
      throw new HttpError(401, "TAPIS_SECURITY_JWT_EXPIRED the token expired at " + tok.expires());
    }
    return tok.user();
  }

  private void login(HttpExchange ex) throws IOException, HttpError {
    byte[] body = ex.getRequestBody().readAllBytes();
    String ct = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
    Map<String, String> f = new LinkedHashMap<>();
    if (ct.startsWith("application/x-www-form-urlencoded")) {
      f.putAll(form(new String(body, StandardCharsets.UTF_8)));
    } else {
      JSON.readTree(body).fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue().asText()));
    }
    String grant = f.getOrDefault("grant_type", "");
    String user;
    if (grant.equals("password")) {
      user = f.getOrDefault("username", "");
      String pw = users.get(user);
      if (pw == null || !pw.equals(f.get("password"))) {
        throw new HttpError(401, "Invalid username/password combination.");
      }
    } else if (grant.equals("refresh_token")) {
      user = refreshTokens.remove(f.getOrDefault("refresh_token", ""));
      if (user == null) {
        throw new HttpError(401, "Invalid refresh token.");
      }
    } else {
      throw new HttpError(400, "Invalid grant_type: expected password or refresh_token");
    }
    String jwt = fakeJwt(user);
    Instant expires = Instant.now().plus(tokenTtl);
    tokens.put(jwt, new Token(user, expires));
    String refresh = fakeJwt(user);
    refreshTokens.put(refresh, user);
    ObjectNode r = JSON.createObjectNode();
    ObjectNode at = r.putObject("access_token");
    at.put("access_token", jwt);
    at.put("expires_at", OffsetDateTime.ofInstant(expires, ZoneOffset.UTC).toString());
    at.put("expires_in", tokenTtl.toSeconds());
    at.put("jti", UUID.randomUUID().toString());
    ObjectNode rt = r.putObject("refresh_token");
    rt.put("refresh_token", refresh);
    rt.put(
        "expires_at",
        OffsetDateTime.ofInstant(expires.plus(Duration.ofDays(1)), ZoneOffset.UTC).toString());
    rt.put("expires_in", tokenTtl.plus(Duration.ofDays(1)).toSeconds());
    sendEnvelope(ex, 201, "success", "Token created", r);
  }

  private String fakeJwt(String user) {
    byte[] b = new byte[24];
    random.nextBytes(b);
    Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
    return e.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + e.encodeToString(
            ("{\"sub\":\"" + user + "\",\"iss\":\"jetlag-tapis-emulator\"}")
                .getBytes(StandardCharsets.UTF_8))
        + "."
        + e.encodeToString(b);
  }

  // ---- systems and apps ----------------------------------------------------------------------

  private static final Set<String> SYSTEM_FIELDS =
      Set.of(
          "id",
          "description",
          "systemType",
          "owner",
          "host",
          "enabled",
          "effectiveUserId",
          "defaultAuthnMethod",
          "authnCredential",
          "bucketName",
          "rootDir",
          "port",
          "useProxy",
          "proxyHost",
          "proxyPort",
          "dtnSystemId",
          "canExec",
          "canRunBatch",
          "enableCmdPrefix",
          "allowChildren",
          "mpiCmd",
          "jobRuntimes",
          "jobWorkingDir",
          "jobEnvVariables",
          "jobMaxJobs",
          "jobMaxJobsPerUser",
          "batchScheduler",
          "batchLogicalQueues",
          "batchDefaultLogicalQueue",
          "batchSchedulerProfile",
          "jobCapabilities",
          "tags",
          "notes");

  private void createSystem(HttpExchange ex, String user) throws IOException, HttpError {
    ObjectNode s = body(ex);
    checkFields("ReqPostSystem", s, SYSTEM_FIELDS);
    for (String f : List.of("id", "systemType", "host", "defaultAuthnMethod", "canExec")) {
      if (!s.hasNonNull(f)) {
        throw new HttpError(400, "SYSAPI_CREATE_MISSING_ATTR missing attribute: " + f);
      }
    }
    String id = s.get("id").asText();
    s.remove("authnCredential"); // never echoed back; the emulator uses its configured key
    s.put("owner", user);
    s.put("tenant", "emulated");
    s.put("enabled", true);
    if (systems.putIfAbsent(id, s) != null) {
      throw new HttpError(409, "SYSAPI_SYS_EXISTS system already exists: " + id);
    }
    sendResult(ex, 201, JSON.createObjectNode().put("url", baseUrl() + "/v3/systems/" + id));
  }

  private ObjectNode system(String id) throws HttpError {
    ObjectNode s = systems.get(id);
    if (s == null) {
      throw new HttpError(404, "SYSAPI_NOT_FOUND system not found: " + id);
    }
    return s;
  }

  private static final Set<String> APP_FIELDS =
      Set.of(
          "id",
          "version",
          "description",
          "owner",
          "enabled",
          "versionEnabled",
          "locked",
          "runtime",
          "runtimeVersion",
          "runtimeOptions",
          "containerImage",
          "jobType",
          "maxJobs",
          "maxJobsPerUser",
          "strictFileInputs",
          "jobAttributes",
          "tags",
          "notes");

  private void createApp(HttpExchange ex, String user) throws IOException, HttpError {
    ObjectNode a = body(ex);
    checkFields("ReqPostApp", a, APP_FIELDS);
    for (String f : List.of("id", "version", "containerImage")) {
      if (!a.hasNonNull(f)) {
        throw new HttpError(400, "APPAPI_CREATE_MISSING_ATTR missing attribute: " + f);
      }
    }
    a.put("owner", user);
    a.put("tenant", "emulated");
    if (!a.has("runtime")) {
      a.put("runtime", "DOCKER");
    }
    String key = a.get("id").asText() + "/" + a.get("version").asText();
    if (apps.putIfAbsent(key, a) != null) {
      throw new HttpError(409, "APPAPI_APP_EXISTS app version already exists: " + key);
    }
    sendResult(ex, 201, JSON.createObjectNode().put("url", baseUrl() + "/v3/apps/" + key));
  }

  private ObjectNode app(String id, String version) throws HttpError {
    if (version != null) {
      ObjectNode a = apps.get(id + "/" + version);
      if (a == null) {
        throw new HttpError(404, "APPAPI_NOT_FOUND app not found: " + id + " version " + version);
      }
      return a;
    }
    TreeSet<String> versions = new TreeSet<>();
    apps.keySet().stream().filter(k -> k.startsWith(id + "/")).forEach(versions::add);
    if (versions.isEmpty()) {
      throw new HttpError(404, "APPAPI_NOT_FOUND app not found: " + id);
    }
    return apps.get(versions.last());
  }

  // ---- files ---------------------------------------------------------------------------------

  SshHost ssh(ObjectNode sys) {
    String key = sys.get("id").asText();
    return hosts.computeIfAbsent(
        key,
        k ->
            new SshHost(
                sys.get("host").asText(),
                sys.path("port").asInt(22),
                sys.path("effectiveUserId").asText(System.getProperty("user.name")),
                config.privateKey(),
                config.hostPublicKey()));
  }

  /** {@code rel} under the system's root folder; refuses paths that leave it. */
  static String hostPath(ObjectNode sys, String rel) throws HttpError {
    String root = sys.path("rootDir").asText("/");
    Path p = Path.of(root).resolve(rel.startsWith("/") ? rel.substring(1) : rel).normalize();
    if (!p.startsWith(Path.of(root))) {
      throw new HttpError(400, "FILES_PATH_INVALID path leaves the system's rootDir: " + rel);
    }
    return p.toString();
  }

  private void files(HttpExchange ex, String method, String sysId, String rel)
      throws IOException, HttpError {
    ObjectNode sys = system(sysId);
    SshHost ssh = ssh(sys);
    if (method.equals("POST") && rel == null) {
      String p = hostPath(sys, body(ex).path("path").asText());
      SshHost.Result r = ssh.exec("mkdir -p " + SshHost.q(p));
      if (!r.ok()) {
        throw new HttpError(500, "FILES_MKDIR_ERR " + r.err().strip());
      }
      sendEnvelope(ex, 200, "success", "ok", JSON.getNodeFactory().textNode("ok"));
      return;
    }
    if (rel == null) {
      throw new HttpError(405, "FILES_METHOD " + method + " needs a path");
    }
    String p = hostPath(sys, rel);
    if (method.equals("POST")) {
      byte[] data = multipartFile(ex);
      int slash = p.lastIndexOf('/');
      if (slash > 0) {
        ssh.exec("mkdir -p " + SshHost.q(p.substring(0, slash)));
      }
      ssh.write(p, new ByteArrayInputStream(data));
      sendEnvelope(
          ex, 200, "success", "File successfully uploaded", JSON.getNodeFactory().textNode("ok"));
    } else if (method.equals("GET")) {
      if (!ssh.exists(p)) {
        throw new HttpError(404, "FILES_NOT_FOUND no such file or folder: " + rel);
      }
      sendResult(ex, 200, listing(ssh, p, rel));
    } else if (method.equals("DELETE")) {
      ssh.exec("rm -rf " + SshHost.q(p));
      sendEnvelope(ex, 200, "success", "ok", JSON.getNodeFactory().textNode("ok"));
    } else {
      throw new HttpError(405, "FILES_METHOD " + method + " is not served (PUT is move/copy)");
    }
  }

  private static ArrayNode listing(SshHost ssh, String hostPath, String rel) throws IOException {
    ArrayNode a = JSON.createArrayNode();
    String base = rel.isEmpty() || rel.endsWith("/") ? rel : rel + "/";
    for (SshHost.Entry e : ssh.list(hostPath)) {
      ObjectNode f = a.addObject();
      f.put("mimeType", e.dir() ? null : "application/octet-stream");
      f.put("type", e.dir() ? "dir" : "file");
      f.put("owner", "");
      f.put("group", "");
      f.put("nativePermissions", e.perms());
      f.put("url", "tapis://emulated" + hostPath + "/" + e.name());
      f.put("lastModified", Instant.ofEpochMilli(e.mtimeMillis()).toString());
      f.put("name", e.name());
      f.put("path", base + e.name());
      f.put("size", e.size());
    }
    return a;
  }

  private void sendFile(HttpExchange ex, SshHost ssh, String p, boolean zipFolder)
      throws IOException, HttpError {
    if (!ssh.exists(p)) {
      throw new HttpError(404, "FILES_NOT_FOUND no such file or folder: " + p);
    }
    boolean dir = ssh.exec("test -d " + SshHost.q(p)).ok();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (dir) {
      if (!zipFolder) {
        throw new HttpError(400, "FILES_CONTENT_DIR_NOZIP a folder needs zip=true");
      }
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc = ssh.exec("cd " + SshHost.q(p) + " && zip -q -r - .", out, err);
      if (rc != 0) {
        throw new HttpError(500, "FILES_ZIP_ERR " + err.toString(StandardCharsets.UTF_8).strip());
      }
      ex.getResponseHeaders().add("Content-Type", "application/zip");
    } else {
      ssh.read(p, out);
      ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    }
    byte[] bytes = out.toByteArray();
    ex.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  // ---- jobs ----------------------------------------------------------------------------------

  static final Set<String> SUBMIT_FIELDS =
      Set.of(
          "name",
          "owner",
          "tenant",
          "description",
          "appId",
          "appVersion",
          "jobType",
          "archiveOnAppError",
          "dynamicExecSystem",
          "execSystemId",
          "execSystemExecDir",
          "execSystemInputDir",
          "execSystemOutputDir",
          "execSystemLogicalQueue",
          "archiveSystemId",
          "archiveSystemDir",
          "dtnSystemInputDir",
          "dtnSystemOutputDir",
          "nodeCount",
          "coresPerNode",
          "memoryMB",
          "maxMinutes",
          "fileInputs",
          "fileInputArrays",
          "parameterSet",
          "execSystemConstraints",
          "tags",
          "subscriptions",
          "isMpi",
          "mpiCmd",
          "cmdPrefix",
          "notes");
  private static final Set<String> FILE_INPUT_FIELDS =
      Set.of("name", "description", "envKey", "autoMountLocal", "sourceUrl", "targetPath", "notes");
  private static final Set<String> PARAMETER_SET_FIELDS =
      Set.of(
          "appArgs",
          "containerArgs",
          "schedulerOptions",
          "envVariables",
          "archiveFilter",
          "logConfig");

  private void submit(HttpExchange ex, String user) throws IOException, HttpError {
    ObjectNode req = body(ex);
    checkFields("ReqSubmitJob", req, SUBMIT_FIELDS);
    for (JsonNode in : req.path("fileInputs")) {
      checkFields("JobFileInput", (ObjectNode) in, FILE_INPUT_FIELDS);
    }
    if (req.has("parameterSet")) {
      checkFields("JobParameterSet", (ObjectNode) req.get("parameterSet"), PARAMETER_SET_FIELDS);
    }
    for (String f : List.of("name", "appId", "appVersion")) {
      if (!req.hasNonNull(f)) {
        throw new HttpError(400, "JOBS_MISSING_FIELD the job request has no " + f);
      }
    }
    ObjectNode app = app(req.get("appId").asText(), req.get("appVersion").asText());
    JsonNode attrs = app.path("jobAttributes");
    String sysId = req.path("execSystemId").asText(attrs.path("execSystemId").asText(""));
    if (sysId.isEmpty()) {
      throw new HttpError(
          400, "JOBS_NO_EXEC_SYSTEM neither the job nor the app names an execution system");
    }
    ObjectNode sys = system(sysId);
    if (!sys.path("canExec").asBoolean(false)) {
      throw new HttpError(400, "JOBS_SYSTEM_CANNOT_EXEC system " + sysId + " cannot run jobs");
    }
    EmulatedJob j = new EmulatedJob(this, UUID.randomUUID() + "-007", user, req, app, sys);
    try {
      j.validateResources();
    } catch (EmulatedJob.RejectedJob e) {
      throw new HttpError(400, e.getMessage());
    }
    jobs.put(j.uuid, j);
    j.newStatus("PENDING", "The job was received by the emulator.");
    synchronized (running) {
      running.add(workers.submit(j::run));
    }
    sendResult(ex, 200, j.toJson());
  }

  private void listJobs(HttpExchange ex, String user) throws IOException {
    Map<String, String> q = query(ex);
    int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
    List<EmulatedJob> mine = new ArrayList<>();
    for (EmulatedJob j : jobs.values()) {
      if (j.owner.equals(user)) {
        mine.add(j);
      }
    }
    mine.sort((a, b) -> Integer.compare(b.seq, a.seq));
    ArrayNode a = JSON.createArrayNode();
    for (EmulatedJob j : mine.subList(0, Math.min(limit, mine.size()))) {
      a.add(j.toListJson());
    }
    sendResult(ex, 200, a);
  }

  private EmulatedJob job(String uuid, String user) throws HttpError {
    EmulatedJob j = jobs.get(uuid);
    if (j == null || !j.owner.equals(user)) {
      throw new HttpError(404, "JOBS_JOB_NOT_FOUND job " + uuid + " not found");
    }
    return j;
  }

  private void cancel(HttpExchange ex, EmulatedJob j) throws IOException, HttpError {
    synchronized (j) {
      if (isTerminal(j.status)) {
        throw new HttpError(
            409,
            "JOBS_CANCEL_TERMINAL job "
                + j.uuid
                + " is already "
                + j.status
                + "; nothing to cancel");
      }
      j.cancelRequested = true;
      j.notifyAll();
    }
    sendResult(
        ex,
        200,
        JSON.createObjectNode().put("message", "Job " + j.uuid + " cancel request accepted."));
  }

  private void output(HttpExchange ex, EmulatedJob j, String what, String rel)
      throws IOException, HttpError {
    boolean allow = "true".equals(query(ex).get("allowIfRunning"));
    String dir;
    synchronized (j) {
      if (!isTerminal(j.status) && !allow) {
        throw new HttpError(
            400,
            "JOBS_OUTPUT_NOT_READY job "
                + j.uuid
                + " is "
                + j.status
                + ": outputs are served in a terminal state (or with allowIfRunning=true)");
      }
      dir = j.archived ? j.archiveDir : j.outputDir;
    }
    if (dir == null) {
      throw new HttpError(404, "JOBS_NO_OUTPUT job " + j.uuid + " has no output folder yet");
    }
    String p = Path.of(dir).resolve(rel).normalize().toString();
    if (!Path.of(p).startsWith(Path.of(dir))) {
      throw new HttpError(400, "JOBS_OUTPUT_PATH path leaves the output folder: " + rel);
    }
    SshHost ssh = ssh(j.system);
    if (what.equals("list")) {
      if (!ssh.exists(p)) {
        throw new HttpError(404, "JOBS_OUTPUT_NOT_FOUND no output " + rel);
      }
      sendResult(ex, 200, listing(ssh, p, rel));
    } else {
      sendFile(ex, ssh, p, true);
    }
  }

  static boolean isTerminal(String s) {
    return s.equals("FINISHED") || s.equals("FAILED") || s.equals("CANCELLED");
  }

  int nextSeq() {
    return seq.incrementAndGet();
  }

  Duration pollFirst() {
    return config.pollFirst();
  }

  Duration pollMax() {
    return config.pollMax();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static void checkFields(String schema, ObjectNode o, Set<String> allowed)
      throws HttpError {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new HttpError(
            400, "TAPIS_JSON_VALIDATION_ERROR " + schema + ": unknown field '" + f + "'");
      }
    }
  }

  private static ObjectNode body(HttpExchange ex) throws IOException, HttpError {
    byte[] b = ex.getRequestBody().readAllBytes();
    JsonNode n;
    try {
      n = JSON.readTree(b);
    } catch (IOException e) {
      throw new HttpError(400, "TAPIS_JSON_PARSE_ERROR the body is not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new HttpError(400, "TAPIS_JSON_PARSE_ERROR expected a JSON object");
    }
    return (ObjectNode) n;
  }

  private static byte[] multipartFile(HttpExchange ex) throws IOException, HttpError {
    String ct = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(ct);
    if (!ct.startsWith("multipart/form-data") || !m.find()) {
      throw new HttpError(400, "FILES_UPLOAD_NOT_MULTIPART expected multipart/form-data");
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    byte[] delim = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delim, 0);
    while (pos >= 0) {
      int headStart = pos + delim.length + 2;
      int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headStart);
      if (headEnd < 0) {
        break;
      }
      String head = new String(body, headStart, headEnd - headStart, StandardCharsets.ISO_8859_1);
      int next =
          indexOf(body, ("\r\n--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1), headEnd);
      if (next < 0) {
        break;
      }
      if (head.matches("(?is).*content-disposition:[^\\r\\n]*name=\"file\".*")) {
        return java.util.Arrays.copyOfRange(body, headEnd + 4, next);
      }
      pos = next + 2;
    }
    throw new HttpError(400, "FILES_UPLOAD_NO_FILE the multipart body has no part named 'file'");
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static Map<String, String> query(HttpExchange ex) {
    String q = ex.getRequestURI().getRawQuery();
    return q == null ? Map.of() : form(q);
  }

  private static Map<String, String> form(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : s.split("&", -1)) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
      }
    }
    return m;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String decodePath(String s) {
    StringBuilder sb = new StringBuilder();
    for (String part : s.split("/", -1)) {
      if (sb.length() > 0 || s.startsWith("/")) {
        sb.append('/');
      }
      sb.append(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    String r = sb.toString();
    return r.startsWith("/") ? r.substring(1) : r;
  }

  private static void sendResult(HttpExchange ex, int status, JsonNode result) throws IOException {
    sendEnvelope(ex, status, "success", "ok", result);
  }

  private static void sendEnvelope(
      HttpExchange ex, int status, String s, String message, JsonNode result) throws IOException {
    ObjectNode env = JSON.createObjectNode();
    env.put("status", s);
    env.put("message", message);
    env.put("version", VERSION);
    env.put("commit", "emulator");
    env.put("build", "emulator");
    if (result == null) {
      env.putNull("result");
    } else {
      env.set("result", result);
    }
    env.putNull("metadata");
    byte[] b = JSON.writeValueAsBytes(env);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  /** Stops the server and the job workers (jobs still in Slurm stay there) and SSH sessions. */
  @Override
  public void close() {
    server.stop(0);
    for (EmulatedJob j : jobs.values()) {
      synchronized (j) {
        j.shutdown = true;
        j.notifyAll();
      }
    }
    synchronized (running) {
      for (Future<?> f : running) {
        f.cancel(true); // a no-op for workers that already ended
      }
    }
    workers.shutdownNow();
    httpThreads.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        System.err.println("tapis emulator: job workers still busy after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SshHost h : hosts.values()) {
      try {
        h.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
