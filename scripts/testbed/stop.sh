#!/usr/bin/env bash
# Stops the testbed in RUN_DIR: cancels the jobs still in its Slurm, then stops sshd, the slurmd
# of every node (RUN_DIR/etc/nodes), slurmctld, slurmdbd, MariaDB and munged by the PIDs recorded at start (never by name),
# SIGKILL after a grace period. Idempotent; keeps the logs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"
run_dir "${1:-}"
export SLURM_CONF="$RUN/etc/slurm.conf"
if alive slurmctld && [ -f "$SLURM_CONF" ]; then
  jobs="$(squeue -h -o %i 2>/dev/null || true)"
  if [ -n "$jobs" ]; then
    log "cancelling jobs left in the queue: $(echo "$jobs" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    scancel $jobs 2>/dev/null || true
    no_jobs() { [ -z "$(squeue -h -o %i 2>/dev/null)" ]; }
    wait_until 20 "the queue to drain" no_jobs || log "jobs still listed; stopping anyway"
  fi
fi
stop_pid sshd 5
slurmds=(slurmd) # the one slurmd of a testbed started before there were several nodes
if [ -f "$RUN/etc/nodes" ]; then
  while read -r n _; do [ -n "$n" ] && slurmds+=("slurmd-$n"); done <"$RUN/etc/nodes"
fi
for d in "${slurmds[@]}"; do stop_pid "$d" 5; done
stop_pid slurmctld 10
stop_pid slurmdbd 10
stop_pid mariadbd 30
if [ -f "$RUN/pids/munged.shared" ]; then
  rm -f "$RUN/pids/munged.shared"
else
  stop_pid munged 5
fi
rm -f "$RUN/testbed.env"
log "stopped (logs kept in $RUN/logs)"
