#!/bin/bash
# JetLag ZIP-runtime app for Tapis v3: runs one JetLag job bundle inside a Slurm allocation.
#
# Tapis unpacks this app into the job's exec folder, stages the bundle (bundle.zip) as a file
# input, writes tapisjob.env and runs this script from tapisjob.sh under sbatch. The script:
#   1. checks the bundle (SHA-256 of every file) and that the installed JetLag runtime
#      ($JETLAG_RUNTIME/VERSION) is the version the bundle was made for;
#   2. when the bundle's run-args.txt asks for '--runner flink': starts a Flink session cluster
#      inside the allocation (start_flink_cluster, below);
#   3. runs the graph with the runtime: the local runner with the allocation's cores as threads,
#      or Beam on that Flink cluster; outputs as Arrow IPC, the JetLag trace;
#   4. stops the cluster on every exit path (EXIT trap) and exits with the run's status, so Slurm
#      and Tapis see a failed run as FAILED.
# Everything the user gets back is in the output folder: <output>.arrow, trace.json,
# jetlag.log (this script's log, also shown by 'jetlag submit --wait' when the job fails) and
# status.json; with --runner flink also trace.json.flink-jobs.json (Flink's per-job details) and
# flink-logs/ (the JobManager's and TaskManager's logs).
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
  printf '{"exitCode": %d, "phase": "%s", "slurmJobId": "%s", "nodes": "%s"}\n' \
    "$1" "$2" "${SLURM_JOB_ID:-}" "${SLURM_JOB_NODELIST:-}" > "$out/status.json.tmp" &&
    mv "$out/status.json.tmp" "$out/status.json"
}

# ---------------------------------------------------------------------------------------------
# The Flink session cluster inside the allocation (only when run-args.txt has '--runner flink').
# SINGLE NODE: 'jetlag cluster start' runs the JobManager and one TaskManager (a slot per core
# Slurm gave) on the allocation's first node, bound to 127.0.0.1. TaskManagers on further nodes
# are NOT done yet: they would run as 'srun --overlap -N1 -n1 -w <node>' steps with the command
# lines of FlinkCluster.prepare's LaunchPlan (taskManagerCommand(n, host)) and a --host the other
# nodes reach; until then '--nodes' above 1 books nodes that stay idle.
# The cluster lives in $work/flink (config, cluster.json with the PIDs, log/). The runtime finds
# the cluster classpath and the job jar under its own folder (install-runtime.sh installs them).
# Memory: Flink's defaults (JobManager 1 GiB, TaskManager 1.5 GiB) unless the app's environment
# sets JETLAG_FLINK_JM_MEMORY / JETLAG_FLINK_TM_MEMORY (sizes as 'jetlag cluster start' takes
# them, e.g. 768MiB, 1GiB) for nodes with less memory per job.
FLINK_STARTED=0
flink_dir="$work/flink"
start_flink_cluster() {
  if [ "$runner" != flink ]; then
    say "runner: local (no Flink cluster)"
    return 0
  fi
  local cmd=(cluster start --dir "$flink_dir" --slots "${SLURM_CPUS_ON_NODE:-1}" --timeout 90s -q)
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
  say "Flink cluster started in $((($(date +%s%N) - t0) / 1000000)) ms at $addr" \
    "(JobManager and 1 TaskManager with ${SLURM_CPUS_ON_NODE:-1} slots on $(hostname))"
  run_args+=(--flink-master "$addr" --work-dir "$work/beam")
}
# A SIGTERM from here to every process recorded in cluster.json whose command line names this
# cluster's folder. The JVMs run in sessions of their own, outside what Slurm's process tracking
# (proctrack/linuxproc) signals on scancel, and Slurm SIGKILLs this script KillWait seconds after
# its SIGTERM: so this comes first, takes no JVM start, and the JVMs then end on their own.
term_flink_processes() {
  [ "$FLINK_STARTED" -eq 1 ] && [ -f "$flink_dir/cluster.json" ] || return 0
  local pid
  for pid in $(grep -o '"pid" *: *[0-9]*' "$flink_dir/cluster.json" | grep -o '[0-9]*$'); do
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$flink_dir/"; then
      kill -TERM "$pid" 2>/dev/null
    fi
  done
}
stop_flink_cluster() {
  [ "$FLINK_STARTED" -eq 1 ] || return 0
  FLINK_STARTED=0
  local t0
  t0=$(date +%s%N)
  say "stopping the Flink cluster"
  term_flink_processes
  # Then 'jetlag cluster stop': waits for them (matched by PID and start time), SIGKILL after
  # 15 s, removes the cluster's temporary folder.
  timeout -k 5 45 "$JETLAG_RUNTIME/bin/jetlag" cluster stop --dir "$flink_dir" ||
    say "jetlag cluster stop ended with status $?"
  say "Flink cluster stopped in $((($(date +%s%N) - t0) / 1000000)) ms"
  if [ -d "$flink_dir/log" ]; then
    mkdir -p "$out/flink-logs" && cp -p "$flink_dir"/log/* "$out/flink-logs/" 2>/dev/null
  fi
}
# ---------------------------------------------------------------------------------------------

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

say "job ${_tapisJobUUID:-?} on $(hostname) (Slurm job ${SLURM_JOB_ID:-?}, ${SLURM_CPUS_ON_NODE:-?} cores)"
: "${JETLAG_RUNTIME:?JETLAG_RUNTIME is not set: the app definition must give the runtime folder}"
bundle="$in/${JETLAG_BUNDLE:-bundle.zip}"
[ -f "$bundle" ] || { say "no job bundle at $bundle"; exit 66; }

phase=unpack
unzip -q -o "$bundle" -d "$work" || { say "cannot unpack $bundle"; exit 65; }
(cd "$work" && sha256sum --quiet -c SHA256SUMS) || { say "bundle checksums do not match"; exit 65; }

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
args+=(--threads "${SLURM_CPUS_ON_NODE:-1}")
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
