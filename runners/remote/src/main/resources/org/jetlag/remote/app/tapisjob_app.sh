#!/bin/bash
# JetLag ZIP-runtime app for Tapis v3: runs one JetLag job bundle inside a Slurm allocation.
#
# Tapis unpacks this app into the job's exec folder, stages the bundle (bundle.zip) as a file
# input, writes tapisjob.env and runs this script from tapisjob.sh under sbatch. The script:
#   1. checks the bundle (SHA-256 of every file) and that the installed JetLag runtime
#      ($JETLAG_RUNTIME/VERSION) is the version the bundle was made for;
#   2. removes the staged copy of the bundle ($JETLAG_STAGING/$JETLAG_STAGED_ID) once its own copy
#      is checked;
#   3. when the bundle's run-args.txt asks for '--runner flink': starts a Flink session cluster
#      inside the allocation, a TaskManager on every node (start_flink_cluster, below);
#   4. runs the graph with the runtime: the local runner with the first node's cores as threads,
#      or Beam on that Flink cluster with all its slots; outputs as Arrow IPC, the JetLag trace;
#   5. stops the cluster on every exit path (EXIT trap) and exits with the run's status, so Slurm
#      and Tapis see a failed run as FAILED.
# Everything the user gets back is in the output folder: <output>.arrow, trace.json,
# jetlag.log (this script's log, also shown by 'jetlag submit --wait' when the job fails) and
# status.json; with --runner flink also trace.json.flink-jobs.json (Flink's per-job details) and
# flink-logs/ (the JobManager's and every TaskManager's logs). status.json has the exit code, the
# phase it ended in, the Slurm job id, its nodes and how many TaskManagers registered.
set -uo pipefail

out="${_tapisExecSystemOutputDir:-$PWD/output}"
in="${_tapisExecSystemInputDir:-$PWD}"
work="$PWD/jetlag-work"
mkdir -p "$out" "$work"
log="$out/jetlag.log"
# scancel sends SIGTERM to every process of the job, tee included: tee ignores it (and ends when
# this script does), and this script ignores SIGPIPE, so that a dead tee cannot kill it before
# its traps have stopped the Flink cluster.
exec > >(trap '' TERM INT; exec tee -a "$log") 2>&1
trap '' PIPE

say() { echo "jetlag-app: $(date -u +%H:%M:%S) $*"; }

write_status() { # status.json: what happened, for 'jetlag job fetch'
  printf '{"exitCode": %d, "phase": "%s", "slurmJobId": "%s", "nodes": "%s", "taskManagers": %d}\n' \
    "$1" "$2" "${SLURM_JOB_ID:-}" "${SLURM_JOB_NODELIST:-}" "${flink_tms:-0}" \
    > "$out/status.json.tmp" &&
    mv "$out/status.json.tmp" "$out/status.json"
}

# ---------------------------------------------------------------------------------------------
# The Flink session cluster inside the allocation (only when run-args.txt has '--runner flink').
# 'jetlag cluster start' runs the JobManager and one TaskManager (a slot per core Slurm gave) on
# the allocation's first node (where this script runs). On each further node of the allocation one
# more TaskManager runs as a background step 'srun --overlap -N1 -n1 -w <node> jetlag cluster
# taskmanager --dir <cluster folder> --host <node's address>': its command line (memory flags
# included) comes from the same launcher code as the first one's. The cluster folder is under the
# job's working folder, which every node must see at the same path (a shared file system).
# Addresses: the JobManager binds to $JETLAG_FLINK_HOST if set, else 127.0.0.1 on one node, else
# the first node's NodeAddr (scontrol; the node's name on most clusters); each further TaskManager
# binds to its node's NodeAddr. The script waits (deadline $JETLAG_FLINK_TM_TIMEOUT seconds, default
# 90) until Flink's REST API lists a TaskManager per node with all their slots, and fails in phase
# 'cluster' otherwise, or as soon as a TaskManager step ends.
# The cluster lives in $work/flink (config, cluster.json with the PIDs, joined/ with the further
# TaskManagers' PIDs, log/). The runtime finds the cluster classpath and the job jar under its own
# folder (install-runtime.sh installs them).
# Memory: Flink's defaults (JobManager 1 GiB, TaskManager 1.5 GiB per node) unless the app's
# environment sets JETLAG_FLINK_JM_MEMORY / JETLAG_FLINK_TM_MEMORY (sizes as 'jetlag cluster start'
# takes them, e.g. 768MiB, 1GiB) for nodes with less memory per job.
FLINK_STARTED=0
flink_dir="$work/flink"
flink_tms=0
tm_steps=()
nodes=()
node_addr() { # the address other nodes reach node $1 at: its NodeAddr in Slurm, else its name
  local a
  a="$(scontrol show node -o "$1" 2>/dev/null | tr ' ' '\n' | sed -n 's/^NodeAddr=//p' | head -n 1)"
  echo "${a:-$1}"
}
start_flink_cluster() {
  if [ "$runner" != flink ]; then
    say "runner: local (no Flink cluster)"
    return 0
  fi
  local host="${JETLAG_FLINK_HOST:-}"
  if [ -z "$host" ]; then
    if [ "${#nodes[@]}" -gt 1 ]; then host="$(node_addr "${nodes[0]}")"; else host=127.0.0.1; fi
  fi
  local cmd=(cluster start --dir "$flink_dir" --slots "${SLURM_CPUS_ON_NODE:-1}" --host "$host"
    --timeout 90s -q)
  [ -n "${JETLAG_FLINK_TM_MEMORY:-}" ] && cmd+=(--memory "$JETLAG_FLINK_TM_MEMORY")
  [ -n "${JETLAG_FLINK_JM_MEMORY:-}" ] && cmd+=(--jm-memory "$JETLAG_FLINK_JM_MEMORY")
  say "starting the Flink session cluster: jetlag ${cmd[*]}"
  FLINK_STARTED=1 # from here on the EXIT trap stops whatever was started, even half a cluster
  local t0 rc addr
  t0=$(date +%s%N)
  # In the background with 'wait', so that a SIGTERM (scancel) is handled at once. The command
  # gives up after --timeout (90 s); 'timeout' is the deadline should it hang anyway.
  timeout -k 10 150 "$JETLAG_RUNTIME/bin/jetlag" "${cmd[@]}" > "$work/flink-address" &
  child=$!
  wait "$child"
  rc=$?
  child=
  addr="$(head -n 1 "$work/flink-address" | tr -d '[:space:]')"
  if [ "$rc" -ne 0 ] || ! [[ "$addr" =~ ^[^[:space:]:]+:[0-9]+$ ]]; then
    say "the Flink cluster did not start (status $rc) after $((($(date +%s%N) - t0) / 1000000)) ms"
    return 1
  fi
  flink_tms=1
  say "Flink cluster started in $((($(date +%s%N) - t0) / 1000000)) ms at $addr" \
    "(JobManager and 1 TaskManager with ${SLURM_CPUS_ON_NODE:-1} slots on ${nodes[0]:-$(hostname)})"
  if [ "${#nodes[@]}" -gt 1 ]; then
    start_further_taskmanagers || return 1
  fi
  run_args+=(--flink-master "$addr" --work-dir "$work/beam")
}
# One TaskManager per further node as a background 'srun --overlap' step; then wait until Flink
# lists them all. The steps' srun PIDs are in tm_steps (stop_flink_cluster ends them).
start_further_taskmanagers() {
  local t0 n a want=${#nodes[@]} rc=0 line
  t0=$(date +%s%N)
  for n in "${nodes[@]:1}"; do
    a="$(node_addr "$n")"
    say "TaskManager on $n ($a): srun --overlap -N1 -n1 -w $n jetlag cluster taskmanager" \
      "--dir $flink_dir --host $a --name taskmanager-$n"
    srun --overlap -N1 -n1 -w "$n" --job-name "jetlag-tm-$n" \
      "$JETLAG_RUNTIME/bin/jetlag" cluster taskmanager --dir "$flink_dir" --host "$a" \
      --name "taskmanager-$n" > "$flink_dir/log/srun-$n.out" 2>&1 &
    tm_steps+=("$!")
  done
  "$JETLAG_RUNTIME/bin/jetlag" cluster wait --dir "$flink_dir" --taskmanagers "$want" \
    --timeout "${JETLAG_FLINK_TM_TIMEOUT:-90}s" -q > "$work/flink-registered" 2>&1 &
  child=$!
  # Until the wait ends; a TaskManager step that ends meanwhile fails the start at once.
  while kill -0 "$child" 2>/dev/null; do
    for n in "${tm_steps[@]}"; do
      if ! kill -0 "$n" 2>/dev/null; then
        say "a TaskManager step (srun pid $n) ended during the start; its output:"
        cat "$flink_dir"/log/srun-*.out 2>/dev/null | tail -n 20
        kill -TERM "$child" 2>/dev/null
        rc=1
      fi
    done
    [ "$rc" -eq 0 ] || break
    sleep 0.2
  done
  wait "$child" || rc=1
  child=
  line="$(tail -n 1 "$work/flink-registered")"
  if [ "$rc" -ne 0 ] || ! [[ "$line" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]]; then
    say "the TaskManagers on the further nodes did not all register after" \
      "$((($(date +%s%N) - t0) / 1000000)) ms: $line"
    return 1
  fi
  set -- $line
  flink_tms=$1
  say "$1 TaskManagers registered ($2 slots on ${#nodes[@]} nodes)" \
    "$((($(date +%s%N) - t0) / 1000000)) ms after the first"
}
# A SIGTERM from here to every process this job started for the cluster: the srun steps of the
# further TaskManagers, and each PID recorded in cluster.json or joined/ whose command line names
# this cluster's folder. The first node's JVMs run in sessions of their own, outside what Slurm's
# process tracking (proctrack/linuxproc) signals on scancel, and Slurm SIGKILLs this script
# KillWait seconds after its SIGTERM: so this comes first, takes no JVM start, and the JVMs then
# end on their own. (Slurm itself ends the steps on the other nodes when the job ends.)
term_flink_processes() {
  [ "$FLINK_STARTED" -eq 1 ] || return 0
  local pid
  for pid in "${tm_steps[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in $(cat "$flink_dir/cluster.json" "$flink_dir"/joined/*.json 2>/dev/null |
    grep -o '"pid" *: *[0-9]*' | grep -o '[0-9]*$'); do
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$flink_dir/"; then
      kill -TERM "$pid" 2>/dev/null
    fi
  done
}
stop_flink_cluster() {
  [ "$FLINK_STARTED" -eq 1 ] || return 0
  local t0 pid deadline
  t0=$(date +%s%N)
  say "stopping the Flink cluster"
  term_flink_processes
  FLINK_STARTED=0
  # The srun steps end when their TaskManager does (srun forwards the SIGTERM); 20 s at most.
  deadline=$((SECONDS + 20))
  for pid in "${tm_steps[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  # Then 'jetlag cluster stop': waits for the first node's JVMs (and any joined TaskManager on
  # this node), matched by PID and start time, SIGKILL after 15 s, removes the temporary folder.
  timeout -k 5 45 "$JETLAG_RUNTIME/bin/jetlag" cluster stop --dir "$flink_dir" ||
    say "jetlag cluster stop ended with status $?"
  say "Flink cluster stopped in $((($(date +%s%N) - t0) / 1000000)) ms"
  if [ -d "$flink_dir/log" ]; then
    mkdir -p "$out/flink-logs" && cp -p "$flink_dir"/log/* "$out/flink-logs/" 2>/dev/null
  fi
}
# ---------------------------------------------------------------------------------------------

# 'jetlag submit' uploads the bundle to $JETLAG_STAGING/<id>/bundle.zip and passes <id> as
# JETLAG_STAGED_ID; Tapis copies it into this job's folder. Once that copy is checked, the staged
# one is removed: only a folder directly under $JETLAG_STAGING (both resolved, no symbolic link)
# whose name is a UUID and that holds nothing but bundle.zip.
remove_staged_bundle() {
  local id="${JETLAG_STAGED_ID:-}" base dir
  [ -n "$id" ] || return 0
  if [ -z "${JETLAG_STAGING:-}" ] ||
    ! [[ "$id" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]; then
    say "staged bundle not removed: JETLAG_STAGED_ID '$id' is not a UUID or JETLAG_STAGING is unset"
    return 0
  fi
  base="$(realpath -e "$JETLAG_STAGING" 2>/dev/null)" || { say "staged bundle not removed: no $JETLAG_STAGING"; return 0; }
  dir="$base/$id"
  if [ -L "$dir" ] || [ ! -d "$dir" ] || [ "$(realpath -e "$dir")" != "$dir" ] ||
    [ -L "$dir/bundle.zip" ] || [ "$(ls -A "$dir")" != bundle.zip ]; then
    say "staged bundle not removed: $dir is not a staging folder as jetlag submit makes them"
    return 0
  fi
  rm -f "$dir/bundle.zip" && rmdir "$dir" && say "removed the staged bundle $dir" ||
    say "could not remove the staged bundle $dir"
}

phase=setup
on_exit() {
  local rc=$?
  stop_flink_cluster
  write_status "$rc" "$phase"
  say "exit $rc ($phase)"
}
trap on_exit EXIT
# scancel sends SIGTERM to the batch script first: end with the usual status of a signal.
# The Flink cluster's JVMs are signalled first (term_flink_processes), before anything that could
# take long; the EXIT trap then waits for them with 'jetlag cluster stop' if Slurm lets it.
trap 'term_flink_processes; say "cancelled (SIGTERM)"; [ -n "${child:-}" ] && kill -TERM "$child" 2>/dev/null; wait "${child:-}" 2>/dev/null; exit 143' TERM

# The allocation's nodes, this one (the batch host, the first) first.
if [ -n "${SLURM_JOB_NODELIST:-}" ]; then
  mapfile -t nodes < <(scontrol show hostnames "$SLURM_JOB_NODELIST" 2>/dev/null)
fi
[ "${#nodes[@]}" -gt 0 ] || nodes=("${SLURMD_NODENAME:-$(hostname)}")
say "job ${_tapisJobUUID:-?} on $(hostname) (Slurm job ${SLURM_JOB_ID:-?}, ${#nodes[@]} node(s):" \
  "${nodes[*]}, ${SLURM_CPUS_ON_NODE:-?} cores each)"
: "${JETLAG_RUNTIME:?JETLAG_RUNTIME is not set: the app definition must give the runtime folder}"
bundle="$in/${JETLAG_BUNDLE:-bundle.zip}"
[ -f "$bundle" ] || { say "no job bundle at $bundle"; exit 66; }

phase=unpack
unzip -q -o "$bundle" -d "$work" || { say "cannot unpack $bundle"; exit 65; }
(cd "$work" && sha256sum --quiet -c SHA256SUMS) || { say "bundle checksums do not match"; exit 65; }
remove_staged_bundle

phase=version
want="$(sed -n 's/^ *"runtimeVersion" *: *"\([^"]*\)".*/\1/p' "$work/manifest.json")"
have="$(cat "$JETLAG_RUNTIME/VERSION" 2>/dev/null || echo none)"
if [ "$want" != "$have" ]; then
  say "runtime version mismatch: the bundle needs $want, $JETLAG_RUNTIME has $have"
  exit 65
fi

# The run's options from the bundle (RunSettings.runArgs()). '--runner flink' comes without
# '--flink-master': start_flink_cluster adds the address of the cluster it started.
run_args=()
runner=local
prev=
while IFS= read -r a; do
  [ -n "$a" ] || continue
  [ "$prev" = --runner ] && runner="$a"
  if [ "$a" = --flink-master ] || [ "$a" = --work-dir ]; then
    say "run-args.txt: $a is the app's to set, not the bundle's"
    exit 65
  fi
  run_args+=("$a")
  prev="$a"
done < "$work/run-args.txt"
case "$runner" in
  local | flink) ;;
  *) say "run-args.txt: runner '$runner' is not one a remote job runs with (local, flink)"; exit 65 ;;
esac

phase=cluster
start_flink_cluster || exit 70

phase=run
args=(run "$work/graph.json" --output "$out" --trace "$out/trace.json" --quiet)
while IFS=$'\t' read -r name file; do
  [ -n "$name" ] && args+=(--input "$name=$work/$file")
done < "$work/inputs.txt"
args+=("${run_args[@]}")
# The parallelism: the cores of this node for the local runner; every slot of the Flink cluster
# (a TaskManager per node, a slot per core) for Flink.
threads="${SLURM_CPUS_ON_NODE:-1}"
[ "$runner" = flink ] && threads=$((${SLURM_CPUS_ON_NODE:-1} * ${flink_tms:-1}))
args+=(--threads "$threads")
say "running: jetlag ${args[*]}"
t0=$(date +%s%N)
"$JETLAG_RUNTIME/bin/jetlag" "${args[@]}" &
child=$!
wait "$child"
rc=$?
child=
say "run ended with status $rc after $((($(date +%s%N) - t0) / 1000000)) ms"
if [ "$runner" = flink ]; then
  # 'jetlag run' writes Flink's per-job details beside the trace, so already in the output folder.
  if [ -f "$out/trace.json.flink-jobs.json" ]; then
    say "Flink's job details: trace.json.flink-jobs.json"
  else
    say "no trace.json.flink-jobs.json was written"
  fi
fi
phase=done
exit "$rc"
