#!/bin/bash
# JetLag ZIP-runtime app for Tapis v3: runs one JetLag job bundle inside a Slurm allocation.
#
# Tapis unpacks this app into the job's exec folder, stages the bundle (bundle.zip) as a file
# input, writes tapisjob.env and runs this script from tapisjob.sh under sbatch. The script:
#   1. checks the bundle (SHA-256 of every file) and that the installed JetLag runtime
#      ($JETLAG_RUNTIME/VERSION) is the version the bundle was made for;
#   2. starts the compute cluster (start_flink_cluster: NOT YET, see below);
#   3. runs the graph with the runtime's local runner: outputs as Arrow IPC, the JetLag trace;
#   4. stops the cluster on every exit path (EXIT trap) and exits with the run's status, so Slurm
#      and Tapis see a failed run as FAILED.
# Everything the user gets back is in the output folder: <output>.arrow, trace.json,
# jetlag.log (this script's log, also shown by 'jetlag submit --wait' when the job fails) and
# status.json.
set -uo pipefail

out="${_tapisExecSystemOutputDir:-$PWD/output}"
in="${_tapisExecSystemInputDir:-$PWD}"
work="$PWD/jetlag-work"
mkdir -p "$out" "$work"
log="$out/jetlag.log"
exec > >(tee -a "$log") 2>&1

say() { echo "jetlag-app: $(date -u +%H:%M:%S) $*"; }

write_status() { # status.json: what happened, for 'jetlag job fetch'
  printf '{"exitCode": %d, "phase": "%s", "slurmJobId": "%s", "nodes": "%s"}\n' \
    "$1" "$2" "${SLURM_JOB_ID:-}" "${SLURM_JOB_NODELIST:-}" > "$out/status.json.tmp" &&
    mv "$out/status.json.tmp" "$out/status.json"
}

# ---------------------------------------------------------------------------------------------
# The Flink session cluster inside the allocation: NOT YET. The Flink runner is still being
# built; until it lands the graph runs on the installed runtime's local runner (one node, the
# allocation's cores). start_flink_cluster will start a JobManager and TaskManagers as
# 'srun --overlap' steps and wait until they registered; stop_flink_cluster stops them. The EXIT
# trap below already calls stop_flink_cluster on every exit path.
FLINK_STARTED=0
start_flink_cluster() {
  say "Flink cluster: not yet (the graph runs on the local runner)"
}
stop_flink_cluster() {
  if [ "$FLINK_STARTED" -eq 1 ]; then
    say "stopping the Flink cluster"
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
trap 'say "cancelled (SIGTERM)"; [ -n "${child:-}" ] && kill -TERM "$child" 2>/dev/null; wait "${child:-}" 2>/dev/null; exit 143' TERM

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

phase=cluster
start_flink_cluster

phase=run
args=(run "$work/graph.json" --output "$out" --trace "$out/trace.json" --quiet)
while IFS=$'\t' read -r name file; do
  [ -n "$name" ] && args+=(--input "$name=$work/$file")
done < "$work/inputs.txt"
while IFS= read -r a; do
  [ -n "$a" ] && args+=("$a")
done < "$work/run-args.txt"
args+=(--threads "${SLURM_CPUS_ON_NODE:-1}")
say "running: jetlag ${args[*]}"
t0=$(date +%s%N)
"$JETLAG_RUNTIME/bin/jetlag" "${args[@]}" &
child=$!
wait "$child"
rc=$?
child=
say "run ended with status $rc after $((($(date +%s%N) - t0) / 1000000)) ms"
phase=done
exit "$rc"
